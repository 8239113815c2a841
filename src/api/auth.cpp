#include "api/auth.hpp"

#include "api/json_io.hpp"
#include "http/cookies.hpp"
#include "web/session.hpp"

namespace sillypaste::api {
namespace {

bool is_safe(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

}  // namespace

TokenResult token_user(web::Context& ctx) {
  TokenResult result;
  const auto header = ctx.request.header("authorization");
  if (!header) {
    return result;
  }
  std::string_view value = *header;
  if (!value.starts_with("Token ") && !value.starts_with("token ")) {
    return result;
  }
  result.present = true;
  value.remove_prefix(6);
  while (!value.empty() && value.front() == ' ') {
    value.remove_prefix(1);
  }
  if (value.size() != 40) {
    return result;
  }
  // user_by_token matches the whole key exactly (a byte comparison in both engines), so
  // reading the user's key back to compare it again would only cost another query.
  auto user = ctx.store().user_by_token(value);
  if (user && user->is_active) {
    result.user = std::move(user);
  }
  return result;
}

std::optional<http::Response> authenticate(web::Context& ctx) {
  const auto token = token_user(ctx);
  if (token.present) {
    if (!token.user) {
      return detail(401, "Invalid token.");
    }
    ctx.viewer.user_id = token.user->id;
    ctx.viewer.is_staff = token.user->is_staff;
    ctx.user = token.user;
    return std::nullopt;
  }
  web::load_session(ctx);
  if (!ctx.logged_in()) {
    // An anonymous session user is nobody to the API.
    ctx.user.reset();
    ctx.viewer = core::Viewer{};
    return std::nullopt;
  }
  if (!is_safe(ctx.request.method)) {
    const auto cookie = http::cookie(ctx.request, web::kCsrfCookie);
    const auto header = ctx.request.header("x-csrftoken");
    http::Fields as_form;
    if (header) {
      as_form.emplace_back(std::string(web::kCsrfField), std::string(*header));
    }
    if (!cookie || !header || !web::csrf_valid(ctx, as_form)) {
      return detail(403, "CSRF Failed: CSRF token missing or incorrect.");
    }
  }
  return std::nullopt;
}

}  // namespace sillypaste::api
