#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/paste_form.hpp"
#include "http/form.hpp"
#include "web/context.hpp"

namespace sillypaste::web {

// The paste form (new and edit) with its values and the errors next to each field.
struct PasteFormPage {
  core::PasteFormInput input;
  core::FieldErrors errors;
  std::string action;   // where it posts
  std::string heading;  // "New paste", "Edit paste"
};

[[nodiscard]] http::Response render_paste_form(Context& ctx, const PasteFormPage& form);

// Reads the fields of a posted paste form.
[[nodiscard]] core::PasteFormInput read_paste_form(const http::Fields& fields);

// Checks a posted form: nullopt with a response to send when the request itself is bad
// (undecodable body → 400, missing CSRF token → 403, body over the limit → 413).
struct PostedForm {
  std::optional<http::Fields> fields;
  http::Response refusal;
};
[[nodiscard]] PostedForm read_posted_form(Context& ctx);

// The whole life of a paste form: GET/HEAD shows `form` (its input as the initial values);
// POST checks CSRF and the fields, shows the errors next to them, and when all is valid
// returns what `save` answers. Other methods get 405.
using SavePaste = std::function<http::Response(const core::PasteFields& fields,
                                               const std::string& language_name)>;
[[nodiscard]] http::Response serve_paste_form(Context& ctx, PasteFormPage form,
                                              const SavePaste& save);

// Validates a posted paste form and, when no language was chosen, guesses one.
[[nodiscard]] core::PasteFormResult validate_with_guess(Context& ctx,
                                                        const core::PasteFormInput& input);

}  // namespace sillypaste::web
