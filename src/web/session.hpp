#pragma once

#include "web/context.hpp"

namespace sillypaste::web {

inline constexpr std::string_view kSessionCookie = "sessionid";
inline constexpr std::string_view kCsrfCookie = "csrftoken";
inline constexpr std::string_view kCsrfField = "csrfmiddlewaretoken";

// Reads the signed session cookie and fills ctx.session_id, ctx.user and ctx.viewer.
// A missing, forged or expired cookie leaves the visitor anonymous.
void load_session(Context& ctx);

// Makes the visitor an anonymous session user (SPEC §5) unless it already has a user:
// creates the user and a session and queues the cookie. Returns the user's id.
core::Id ensure_session_user(Context& ctx);

// Logs a registered user in: a new session id (no fixation), the previous session ended,
// and the pastes of the anonymous session user this browser was move to the account.
void log_in(Context& ctx, const core::User& user);
// Ends the session and clears the cookie.
void log_out(Context& ctx);

// CSRF: a signed random token in a cookie, repeated in each form (double submit).
// csrf_token() returns the token forms must carry, queueing the cookie when it is new.
const std::string& csrf_token(Context& ctx);
// True when the form's token matches the cookie's and the cookie's signature is ours.
[[nodiscard]] bool csrf_valid(const Context& ctx, const http::Fields& form);

// Adds the cookies the request queued to a response.
void apply_cookies(Context& ctx, http::Response& response);

}  // namespace sillypaste::web
