#include <algorithm>
#include <iostream>

#include "api/auth.hpp"
#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "api/pagination.hpp"
#include "core/login.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "core/username_policy.hpp"
#include "web/rate_limits.hpp"
#include "web/static_assets.hpp"

namespace sillypaste::api {
namespace {

bool is_read(const web::Context& ctx) {
  return ctx.request.method == "GET" || ctx.request.method == "HEAD";
}

std::string text_field(const json::object& input, std::string_view name) {
  const auto* value = input.if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

json::object expiry_log_object(const core::ExpiryLog& log) {
  json::object object;
  object["id"] = log.id;
  object["expired_ids"] = log.expired_ids;
  object["timestamp"] = core::format_iso8601(log.timestamp);
  if (log.user_cutoff) {
    object["user_cutoff"] = core::format_iso8601(*log.user_cutoff);
  } else {
    object["user_cutoff"] = nullptr;
  }
  object["paste_count"] = log.paste_count;
  object["reclaimed_space"] = log.reclaimed_space;
  object["user_count"] = log.user_count;
  object["completed"] = log.completed;
  return object;
}

json::object user_object(const core::User& user) {
  return json::object{{"id", user.id}, {"username", user.username}, {"is_staff", user.is_staff}};
}

}  // namespace

http::Response root(web::Context& ctx) {
  if (!is_read(ctx)) {
    return method_not_allowed(ctx, "GET, HEAD, OPTIONS");
  }
  const std::string base = ctx.origin() + "/api/";
  return json_response(200, json::object{{"user", base + "user/"},
                                         {"paste", base + "paste/"},
                                         {"expirylog", base + "expirylog/"},
                                         {"language", base + "language/"}});
}

http::Response login(web::Context& ctx) {
  if (ctx.request.method != "POST") {
    return method_not_allowed(ctx, "POST, OPTIONS");
  }
  auto parsed = read_object(ctx);
  if (auto* response = std::get_if<http::Response>(&parsed)) {
    return *response;
  }
  const auto& input = std::get<json::object>(parsed);
  const std::string username = text_field(input, "username");
  const std::string password = text_field(input, "password");
  core::FieldErrors errors;
  if (username.empty()) {
    errors["username"].emplace_back("This field is required.");
  }
  if (password.empty()) {
    errors["password"].emplace_back("This field is required.");
  }
  if (!errors.empty()) {
    return field_errors(errors);
  }
  const auto result = core::attempt_login(ctx.store(), ctx.services.login_throttle, username,
                                          password, ctx.request.remote_address, ctx.now);
  if (result.outcome == core::LoginOutcome::kThrottled) {
    const core::RateDecision limit{false, result.retry_after};
    auto response = detail(429, web::try_again_message("Too many failed login attempts for this "
                                                       "name or from your address",
                                                       limit));
    web::add_retry_after(response, limit);
    return response;
  }
  if (result.outcome != core::LoginOutcome::kOk) {
    return field_errors({{"non_field_errors", {"Unable to log in with provided credentials."}}});
  }
  const auto& user = result.user;
  auto token = ctx.store().token_for_user(user->id);
  if (!token) {
    token = core::random_hex(20);
    ctx.store().set_token(user->id, *token, ctx.now);
  }
  return json_response(200, json::object{{"token", *token}});
}

http::Response logout(web::Context& ctx) {
  if (ctx.request.method != "POST") {
    return method_not_allowed(ctx, "POST, OPTIONS");
  }
  if (!ctx.logged_in()) {
    return detail(401, "Authentication credentials were not provided.");
  }
  (void)ctx.store().delete_token(ctx.user->id);
  return json_response(200, json::object{{"logged_out", true}});
}

http::Response language_list(web::Context& ctx) {
  if (!is_read(ctx)) {
    return method_not_allowed(ctx, "GET, HEAD, OPTIONS");
  }
  auto window = read_window(ctx);
  if (auto* response = std::get_if<http::Response>(&window)) {
    return *response;
  }
  const auto& bounds = std::get<Window>(window);
  auto languages = ctx.store().languages();
  std::sort(languages.begin(), languages.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  return page_of(ctx, bounds, languages, [](const core::Language& language) {
    return json::object{{"id", language.id}, {"name", language.name}};
  });
}

http::Response language_detail(web::Context& ctx, core::Id id) {
  if (!is_read(ctx)) {
    return method_not_allowed(ctx, "GET, HEAD, OPTIONS");
  }
  const auto language = ctx.store().language_by_id(id);
  if (!language) {
    return detail(404, "Not found.");
  }
  return json_response(200, json::object{{"id", language->id}, {"name", language->name}});
}

http::Response expirylog_list(web::Context& ctx) {
  if (!is_read(ctx)) {
    return method_not_allowed(ctx, "GET, HEAD, OPTIONS");
  }
  auto window = read_window(ctx);
  if (auto* response = std::get_if<http::Response>(&window)) {
    return *response;
  }
  const auto& bounds = std::get<Window>(window);
  // At most a few hundred logs are kept (older ones are folded), so all are read.
  const auto logs = ctx.store().expiry_logs(100000, 0);
  return page_of(ctx, bounds, logs, expiry_log_object);
}

http::Response user_list(web::Context& ctx) {
  if (!ctx.logged_in()) {
    return detail(401, "Authentication credentials were not provided.");
  }
  return detail(403, "You do not have permission to perform this action.");
}

http::Response user_detail(web::Context& ctx, std::optional<core::Id> id) {
  if (!ctx.logged_in()) {
    return detail(401, "Authentication credentials were not provided.");
  }
  if (!id) {  // /api/user/me/
    if (is_read(ctx)) {
      return json_response(200, user_object(*ctx.user));
    }
    if (ctx.request.method != "PUT" && ctx.request.method != "PATCH") {
      return method_not_allowed(ctx, "GET, PUT, PATCH, HEAD, OPTIONS");
    }
    auto parsed = read_object(ctx);
    if (auto* response = std::get_if<http::Response>(&parsed)) {
      return *response;
    }
    const auto& input = std::get<json::object>(parsed);
    core::User user = *ctx.user;
    core::FieldErrors errors;
    if (const auto* value = input.if_contains("username")) {
      if (!value->is_string()) {
        errors["username"].emplace_back("Not a valid string.");
      } else {
        const std::string name(core::trim(std::string_view(value->as_string())));
        for (auto& problem : core::username_problems(name)) {
          errors["username"].push_back(std::move(problem));
        }
        if (errors.empty()) {
          const auto other = ctx.store().user_by_username(name);
          if (other && other->id != user.id) {
            errors["username"].emplace_back("A user with that username already exists.");
          }
          user.username = name;
        }
      }
    } else if (ctx.request.method == "PUT") {
      errors["username"].emplace_back("This field is required.");
    }
    if (!errors.empty()) {
      return field_errors(errors);
    }
    try {
      ctx.store().update_user(user);
    } catch (const store::DuplicateUsername&) {
      return field_errors({{"username", {"A user with that username already exists."}}});
    }
    return json_response(200, user_object(user));
  }
  if (!is_read(ctx)) {
    return method_not_allowed(ctx, "GET, HEAD, OPTIONS");
  }
  const auto user = ctx.store().user_by_id(*id);
  if (!user || user->is_anonymous) {
    return detail(404, "Not found.");
  }
  return json_response(200, user_object(*user));
}

http::Response schema(web::Context& ctx) {
  if (!is_read(ctx)) {
    return method_not_allowed(ctx, "GET, HEAD, OPTIONS");
  }
  const auto* asset = ctx.services.assets.find("openapi.json");
  if (asset == nullptr) {
    return detail(404, "Not found.");
  }
  http::Response response;
  response.content_type = "application/json";
  response.body = std::string(asset->content);
  return response;
}

}  // namespace sillypaste::api
