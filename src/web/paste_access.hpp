#pragma once

#include <optional>

#include "core/model.hpp"
#include "web/context.hpp"
#include "web/handlers.hpp"

namespace sillypaste::web {

// The paste a reference names, if this visitor may reach it that way: by secret link
// anyone; by id only public ones, imported ones, or the owner's and staff's. Expired
// pastes are never found.
[[nodiscard]] std::optional<core::PasteView> find_paste(Context& ctx, const PasteRef& ref);

// Counts a view unless the paste's hits are frozen.
void count_hit(Context& ctx, const core::Paste& paste);

// The path prefix this reference was reached through ("/12/" or "/s/<secret>/").
[[nodiscard]] std::string reference_path(const PasteRef& ref);

}  // namespace sillypaste::web
