#pragma once

#include <variant>

#include "api/json_io.hpp"
#include "core/model.hpp"
#include "core/paste_form.hpp"

namespace sillypaste::api {

// The paste object of SPEC §7. `with_body` false gives "body": null (burn pastes to
// everyone but their creator).
[[nodiscard]] json::object paste_object(const web::Context& ctx, const core::PasteView& view,
                                        bool with_body);

// Checks a create (existing == nullptr), PUT (partial false) or PATCH (partial true) body.
// Read-only fields are ignored. Errors are per field, in DRF's words.
[[nodiscard]] std::variant<core::PasteFields, core::FieldErrors> read_paste_input(
    const web::Context& ctx, const json::object& input, const core::Paste* existing, bool partial);

}  // namespace sillypaste::api
