#pragma once

#include <optional>
#include <string_view>

#include "core/model.hpp"
#include "core/paste_form.hpp"

namespace sillypaste::core {

// Random bytes in a private paste's secret link (SPEC §3 asks for at least 64 bits).
constexpr std::size_t kSecretBytes = 16;

// A new paste from checked fields: size counted, highlighting and rendering done now
// (never per view), a secret link made when private. `language_name` is the name of
// fields.language_id (empty for none).
[[nodiscard]] Paste build_paste(const PasteFields& fields, std::optional<Id> author_id,
                                std::string_view language_name, Micros now);

// Applies an edit to a stored paste: the same work as build_paste for the changed
// content; id, timestamp, hits, author and legacy access are kept.
void apply_edit(Paste& paste, const PasteFields& fields, std::string_view language_name);

}  // namespace sillypaste::core
