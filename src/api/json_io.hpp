#pragma once

#include <boost/json.hpp>

#include <cstddef>
#include <string_view>
#include <variant>

#include "core/paste_form.hpp"
#include "http/message.hpp"
#include "web/context.hpp"

namespace sillypaste::api {

namespace json = boost::json;

[[nodiscard]] http::Response json_response(unsigned status, const json::value& body);
// {"detail": "..."}, the shape of every non-field error (DRF).
[[nodiscard]] http::Response detail(unsigned status, std::string_view message);
// 400 {"field": ["message", ...], ...}
[[nodiscard]] http::Response field_errors(const core::FieldErrors& errors);
[[nodiscard]] http::Response method_not_allowed(const web::Context& ctx, std::string_view allowed);

// Our objects are flat; deeper input only makes the parser work.
constexpr std::size_t kMaxJsonDepth = 32;

// The request body as a JSON object (or, for clients that post forms, form fields as
// strings); a 400 response when it is neither, nests deeper than kMaxJsonDepth, or has
// more than http::kMaxFormFields fields.
[[nodiscard]] std::variant<json::object, http::Response> read_object(const web::Context& ctx);

}  // namespace sillypaste::api
