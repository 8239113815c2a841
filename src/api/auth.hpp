#pragma once

#include <optional>

#include "http/message.hpp"
#include "web/context.hpp"

namespace sillypaste::api {

// Who calls the API: `Authorization: Token <key>` or the session cookie of a registered
// user (then unsafe methods need the CSRF token in X-CSRFToken). Fills ctx.user and
// ctx.viewer. A response when the credentials are refused: 401 for a bad token, 403 for a
// session request without its CSRF token.
[[nodiscard]] std::optional<http::Response> authenticate(web::Context& ctx);

// The user a `Token <key>` header names, if any and valid; nullopt also when absent.
struct TokenResult {
  bool present = false;
  std::optional<core::User> user;
};
[[nodiscard]] TokenResult token_user(web::Context& ctx);

}  // namespace sillypaste::api
