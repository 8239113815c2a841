#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/model.hpp"

namespace sillypaste::web {

enum class Page {
  kHome, kPasteNew, kAll, kStats, kPrivacy, kHealth, kHealthPing, kHealthDashboard, kStatic,
  kPasteShow, kPasteRaw, kPasteRender, kPasteEdit, kPasteDelete,
  kSecretShow, kSecretRaw, kSecretRender,
  kRegister, kLogin, kLogout, kPasswordChange, kPasswordChangeDone, kProfile, kMyPastes,
  kAdmin, kAdminPastes, kAdminUsers, kAdminLanguages,
};

struct Route {
  Page page;
  std::optional<core::Id> id;
  std::string argument;  // the secret of /s/<secret>/, /static/<name>, /profile/<name>/
};

// Maps a decoded path to a page; nullopt when nothing lives there.
[[nodiscard]] std::optional<Route> match_route(std::string_view path);

}  // namespace sillypaste::web
