#include "web/router.hpp"

#include <array>
#include <charconv>

namespace sillypaste::web {
namespace {

constexpr std::array<std::pair<std::string_view, Page>, 18> kFixed{{
    {"/accounts/register/", Page::kRegister},
    {"/accounts/login/", Page::kLogin},
    {"/accounts/logout/", Page::kLogout},
    {"/accounts/password_change/", Page::kPasswordChange},
    {"/accounts/password_change/done/", Page::kPasswordChangeDone},
    {"/my_pastes/", Page::kMyPastes},
    {"/admin/", Page::kAdmin},
    {"/admin/pastes/", Page::kAdminPastes},
    {"/admin/users/", Page::kAdminUsers},
    {"/admin/languages/", Page::kAdminLanguages},
    {"/health/dashboard/", Page::kHealthDashboard},
    {"/", Page::kHome},
    {"/paste/", Page::kPasteNew},
    {"/all/", Page::kAll},
    {"/stats/", Page::kStats},
    {"/privacy_policy/", Page::kPrivacy},
    {"/health/", Page::kHealth},
    {"/health/ping/", Page::kHealthPing},
}};

std::optional<core::Id> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 18 || text.front() < '1' || text.front() > '9') {
    return std::nullopt;
  }
  core::Id id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return id;
}

bool valid_secret(std::string_view text) {
  if (text.empty() || text.size() > 64) {
    return false;
  }
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) {
      return false;
    }
  }
  return true;
}

bool valid_static_name(std::string_view name) {
  return !name.empty() && name.find('/') == std::string_view::npos &&
         name.find("..") == std::string_view::npos && name.front() != '.';
}

}  // namespace

std::optional<Route> match_route(std::string_view path) {
  for (const auto& [fixed, page] : kFixed) {
    if (path == fixed) {
      return Route{page, std::nullopt, {}};
    }
  }
  if (path.starts_with("/profile/") && path.ends_with('/') && path.size() > 10) {
    const auto name = path.substr(9, path.size() - 10);
    if (name.find('/') != std::string_view::npos || name.size() > 600) {
      return std::nullopt;
    }
    return Route{Page::kProfile, std::nullopt, std::string(name)};
  }
  if (path.starts_with("/static/")) {
    const auto name = path.substr(8);
    if (!valid_static_name(name)) {
      return std::nullopt;
    }
    return Route{Page::kStatic, std::nullopt, std::string(name)};
  }
  if (!path.ends_with('/') || path.size() < 3) {
    return std::nullopt;
  }
  // /<id>/[action/] or /s/<secret>/[action/]
  std::string_view rest = path.substr(1, path.size() - 2);
  bool secret = false;
  if (rest.starts_with("s/")) {
    secret = true;
    rest.remove_prefix(2);
  }
  const auto slash = rest.find('/');
  const auto key = rest.substr(0, slash);
  const auto action = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  if (slash != std::string_view::npos && action.empty()) {
    return std::nullopt;  // "/12//" (or "/12%2F/" decoded) is not "/12/"
  }
  if (secret) {
    if (!valid_secret(key)) {
      return std::nullopt;
    }
    Route route{Page::kSecretShow, std::nullopt, std::string(key)};
    if (action.empty()) return route;
    if (action == "raw") return route.page = Page::kSecretRaw, route;
    if (action == "render") return route.page = Page::kSecretRender, route;
    return std::nullopt;
  }
  const auto id = parse_id(key);
  if (!id) {
    return std::nullopt;
  }
  Route route{Page::kPasteShow, id, {}};
  if (action.empty()) return route;
  if (action == "raw") return route.page = Page::kPasteRaw, route;
  if (action == "render") return route.page = Page::kPasteRender, route;
  if (action == "edit") return route.page = Page::kPasteEdit, route;
  if (action == "delete") return route.page = Page::kPasteDelete, route;
  return std::nullopt;
}

}  // namespace sillypaste::web
