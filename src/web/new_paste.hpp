#pragma once

#include <optional>
#include <string_view>

#include "core/model.hpp"
#include "core/paste_form.hpp"
#include "web/context.hpp"

namespace sillypaste::web {

// Builds a new paste (highlighting and rendering it) and stores it: the paste with its
// id. The store hears of it before the rendering starts, so a group commit that begins
// meanwhile may wait for it instead of committing without it.
[[nodiscard]] core::Paste create_paste(Context& ctx, const core::PasteFields& fields,
                                       std::optional<core::Id> author,
                                       std::string_view language_name);

}  // namespace sillypaste::web
