#include "web/session.hpp"

#include "core/random.hpp"
#include "http/cookies.hpp"

namespace sillypaste::web {
namespace {

constexpr core::Micros kSessionLifetime = core::Micros{180} * 24 * 3600 * core::kMicrosPerSecond;
constexpr std::size_t kSignatureChars = 32;

std::string signature(const Context& ctx, std::string_view purpose, std::string_view value) {
  return core::hmac_sha256_hex(ctx.services.secret_key, std::string(purpose) + ":" +
                                                            std::string(value))
      .substr(0, kSignatureChars);
}

std::string signed_value(const Context& ctx, std::string_view purpose, std::string_view value) {
  return std::string(value) + "." + signature(ctx, purpose, value);
}

// The value inside a signed cookie, when the signature is ours.
std::optional<std::string> verified(const Context& ctx, std::string_view purpose,
                                    std::string_view cookie_value) {
  const auto dot = cookie_value.rfind('.');
  if (dot == std::string_view::npos || dot == 0) {
    return std::nullopt;
  }
  const auto value = cookie_value.substr(0, dot);
  if (!core::constant_time_equals(cookie_value.substr(dot + 1), signature(ctx, purpose, value))) {
    return std::nullopt;
  }
  return std::string(value);
}

http::CookieOptions cookie_options(const Context& ctx, bool http_only) {
  http::CookieOptions options;
  options.max_age_seconds = kSessionLifetime / core::kMicrosPerSecond;
  options.http_only = http_only;
  options.secure = ctx.request.secure;
  options.same_site = "Lax";
  return options;
}

}  // namespace

void load_session(Context& ctx) {
  const auto cookie = http::cookie(ctx.request, kSessionCookie);
  if (!cookie) {
    return;
  }
  const auto id = verified(ctx, "session", *cookie);
  if (!id) {
    return;
  }
  const auto session = ctx.store().session(*id, ctx.now);
  if (!session) {
    return;
  }
  ctx.session_id = session->id;
  if (session->user_id) {
    auto user = ctx.store().user_by_id(*session->user_id);
    if (user && user->is_active) {
      ctx.viewer.user_id = user->id;
      ctx.viewer.is_staff = user->is_staff;
      ctx.user = std::move(user);
    }
  }
}

namespace {

void start_session(Context& ctx, const core::User& user) {
  core::Session session;
  session.id = core::random_hex(32);
  session.user_id = user.id;
  session.created = ctx.now;
  session.expires = ctx.now + kSessionLifetime;
  ctx.store().create_session(session);
  ctx.cookies.emplace_back("Set-Cookie",
                           http::set_cookie_header(kSessionCookie,
                                                   signed_value(ctx, "session", session.id),
                                                   cookie_options(ctx, true)));
  ctx.session_id = session.id;
  ctx.viewer.user_id = user.id;
  ctx.viewer.is_staff = user.is_staff;
  ctx.user = user;
}

}  // namespace

void log_in(Context& ctx, const core::User& user) {
  if (ctx.user && ctx.user->is_anonymous && ctx.user->id != user.id) {
    ctx.store().move_pastes(ctx.user->id, user.id);
    (void)ctx.store().delete_user(ctx.user->id);  // its session goes with it
  } else if (ctx.session_id) {
    ctx.store().delete_session(*ctx.session_id);
  }
  start_session(ctx, user);
}

void log_out(Context& ctx) {
  if (ctx.session_id) {
    ctx.store().delete_session(*ctx.session_id);
  }
  http::CookieOptions expired = cookie_options(ctx, true);
  expired.max_age_seconds = 0;
  ctx.cookies.emplace_back("Set-Cookie", http::set_cookie_header(kSessionCookie, "", expired));
  ctx.session_id.reset();
  ctx.user.reset();
  ctx.viewer = core::Viewer{};
}

core::Id ensure_session_user(Context& ctx) {
  if (ctx.user) {
    return ctx.user->id;
  }
  core::User user;
  user.username = core::random_hex(15);
  user.password_hash = "!" + core::random_hex(20);  // unusable, like Django's lazy users
  user.is_anonymous = true;
  user.date_joined = ctx.now;
  user.last_login = ctx.now;
  user.id = ctx.store().create_user(user);
  start_session(ctx, user);
  return user.id;
}

const std::string& csrf_token(Context& ctx) {
  if (!ctx.csrf_token.empty()) {
    return ctx.csrf_token;
  }
  if (const auto cookie = http::cookie(ctx.request, kCsrfCookie);
      cookie && verified(ctx, "csrf", *cookie)) {
    ctx.csrf_token = *cookie;
    return ctx.csrf_token;
  }
  ctx.csrf_token = signed_value(ctx, "csrf", core::random_hex(16));
  ctx.cookies.emplace_back("Set-Cookie", http::set_cookie_header(kCsrfCookie, ctx.csrf_token,
                                                                 cookie_options(ctx, false)));
  return ctx.csrf_token;
}

bool csrf_valid(const Context& ctx, const http::Fields& form) {
  const auto cookie = http::cookie(ctx.request, kCsrfCookie);
  const auto submitted = http::field(form, kCsrfField);
  if (!cookie || !submitted || !verified(ctx, "csrf", *cookie)) {
    return false;
  }
  return core::constant_time_equals(*cookie, *submitted);
}

void apply_cookies(Context& ctx, http::Response& response) {
  for (auto& header : ctx.cookies) {
    response.headers.push_back(std::move(header));
  }
  ctx.cookies.clear();
}

}  // namespace sillypaste::web
