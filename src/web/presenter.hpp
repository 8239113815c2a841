#pragma once

#include <string>
#include <string_view>

#include "core/model.hpp"
#include "web/context.hpp"

namespace sillypaste::web {

// Where a paste is reached: "/12/" by id, "/s/<secret>/" by its secret link.
[[nodiscard]] std::string paste_path(const core::Paste& paste);
// The link its author shares: the secret one for a private paste.
[[nodiscard]] std::string share_path(const core::Paste& paste);

// Template data for one paste: everything but the body ("title", "author", "created",
// "created_iso", "expires", "size", "hits", "language", "private", "path", ...).
[[nodiscard]] Data paste_summary(const core::PasteView& view);

// A list of pastes for a table.
[[nodiscard]] List paste_rows(const std::vector<core::PasteView>& views);

}  // namespace sillypaste::web
