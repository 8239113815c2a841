#include <string>

#include "core/log.hpp"
#include "core/login.hpp"
#include "core/password_hash.hpp"
#include "core/password_policy.hpp"
#include "core/text.hpp"
#include "core/username_policy.hpp"
#include "http/form.hpp"
#include "web/form_errors.hpp"
#include "web/handlers.hpp"
#include "web/page.hpp"
#include "web/paste_form_page.hpp"
#include "web/rate_limits.hpp"
#include "web/session.hpp"

namespace sillypaste::web {
namespace {

constexpr std::string_view kBadCredentials =
    "Please enter a correct username and password. Note that both fields may be "
    "case-sensitive.";

bool is_read(const Context& ctx) {
  return ctx.request.method == "GET" || ctx.request.method == "HEAD";
}

std::string profile_path(const core::User& user) {
  return "/profile/" + http::encode_query_value(user.username) + "/";
}

// Only local paths are followed: "/x" but not "//evil.example" or "/\evil".
bool is_local_path(std::string_view next) {
  return next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") &&
         next.find_first_of("\r\n\t") == std::string_view::npos;
}

std::string field_of(const http::Fields& fields, std::string_view name) {
  return http::field(fields, name).value_or("");
}

http::Response register_form(Context& ctx, const std::string& username,
                             const core::FieldErrors& errors, unsigned status = 200) {
  Data data;
  data.set("username", username);
  set_field_errors(data, errors, {"username", "password1", "password2", "__all__"});
  return page(ctx, "register", std::move(data), "Register", status);
}

http::Response login_form(Context& ctx, const std::string& username, const std::string& next,
                          const core::FieldErrors& errors, unsigned status = 200) {
  Data data;
  data.set("username", username);
  data.set("next", next);
  set_field_errors(data, errors, {"username", "password", "__all__"});
  return page(ctx, "login", std::move(data), "Log in", status);
}

http::Response password_change_form(Context& ctx, const core::FieldErrors& errors) {
  Data data;
  set_field_errors(data, errors, {"old_password", "new_password1", "new_password2", "__all__"});
  return page(ctx, "password_change", std::move(data), "Change password");
}

void check_new_password(const std::string& password1, const std::string& password2,
                        const std::string& username, std::string_view field1,
                        std::string_view field2, core::FieldErrors& errors) {
  for (auto& problem : core::password_problems(password1, username)) {
    errors[std::string(field1)].push_back(std::move(problem));
  }
  if (password1 != password2) {
    errors[std::string(field2)].emplace_back("The two password fields didn’t match.");
  }
}

}  // namespace

http::Response login_redirect(Context& ctx) {
  // Slashes stay readable, as Django writes them: ?next=/my_pastes/
  std::string next = http::encode_query_value(ctx.request.target);
  for (std::size_t at = next.find("%2F"); at != std::string::npos; at = next.find("%2F", at)) {
    next.replace(at, 3, "/");
  }
  return redirect("/accounts/login/?next=" + next);
}

http::Response register_page(Context& ctx) {
  if (is_read(ctx)) {
    return register_form(ctx, "", {});
  }
  if (ctx.request.method != "POST") {
    return method_not_allowed(ctx, "GET, HEAD, POST");
  }
  auto posted = read_posted_form(ctx);
  if (!posted.fields) {
    return posted.refusal;
  }
  const std::string username(core::trim(field_of(*posted.fields, "username")));
  const std::string password1 = field_of(*posted.fields, "password1");
  const std::string password2 = field_of(*posted.fields, "password2");
  core::FieldErrors errors;
  for (auto& problem : core::username_problems(username)) {
    errors["username"].push_back(std::move(problem));
  }
  if (errors.empty() && ctx.store().user_by_username(username)) {
    errors["username"].emplace_back("A user with that username already exists.");
  }
  check_new_password(password1, password2, username, "password1", "password2", errors);
  if (!errors.empty()) {
    return register_form(ctx, username, errors);
  }
  if (const auto limit = count_registration(ctx); !limit.allowed) {
    errors["__all__"].push_back(
        try_again_message("Too many accounts registered from your address", limit));
    auto response = register_form(ctx, username, errors, 429);
    add_retry_after(response, limit);
    return response;
  }
  core::User user;
  user.username = username;
  user.password_hash = core::hash_password(password1);
  user.date_joined = ctx.now;
  user.last_login = ctx.now;
  try {
    user.id = ctx.store().create_user(user);
  } catch (const store::DuplicateUsername&) {
    errors["username"].emplace_back("A user with that username already exists.");
    return register_form(ctx, username, errors);
  }
  core::log_line("accounts: registered '" + user.username + "' (id " + std::to_string(user.id) +
                 ")\n");
  log_in(ctx, user);
  return redirect(profile_path(user));
}

http::Response login_page(Context& ctx) {
  std::string next = http::field(ctx.query, "next").value_or("");
  if (is_read(ctx)) {
    return login_form(ctx, "", next, {});
  }
  if (ctx.request.method != "POST") {
    return method_not_allowed(ctx, "GET, HEAD, POST");
  }
  auto posted = read_posted_form(ctx);
  if (!posted.fields) {
    return posted.refusal;
  }
  const std::string username = field_of(*posted.fields, "username");
  const std::string password = field_of(*posted.fields, "password");
  if (auto posted_next = http::field(*posted.fields, "next")) {
    next = *posted_next;
  }
  core::FieldErrors errors;
  if (username.empty()) {
    errors["username"].emplace_back("This field is required.");
  }
  if (password.empty()) {
    errors["password"].emplace_back("This field is required.");
  }
  if (!errors.empty()) {
    return login_form(ctx, username, next, errors);
  }
  const auto result = core::attempt_login(ctx.store(), ctx.services.login_throttle, username,
                                          password, ctx.request.remote_address, ctx.now);
  if (result.outcome == core::LoginOutcome::kThrottled) {
    const core::RateDecision limit{false, result.retry_after};
    errors["__all__"].push_back(try_again_message(
        "Too many failed login attempts for this name or from your address", limit));
    auto response = login_form(ctx, username, next, errors, 429);
    add_retry_after(response, limit);
    return response;
  }
  if (result.outcome != core::LoginOutcome::kOk) {
    std::string shown = core::ascii_lower(username).substr(0, 150);
    for (char& c : shown) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        c = '?';  // no forged log lines
      }
    }
    core::log_line("accounts: failed login for '" + shown + "' from " + ctx.request.remote_address +
                   "\n");
    errors["__all__"].emplace_back(std::string(kBadCredentials));
    return login_form(ctx, username, next, errors);
  }
  const auto& user = result.user;
  log_in(ctx, *user);
  return redirect(is_local_path(next) ? next : profile_path(*user));
}

http::Response logout_page(Context& ctx) {
  if (is_read(ctx)) {
    return page(ctx, "logout", Data(), "Log out");
  }
  if (ctx.request.method != "POST") {
    return method_not_allowed(ctx, "GET, HEAD, POST");
  }
  auto posted = read_posted_form(ctx);
  if (!posted.fields) {
    return posted.refusal;
  }
  log_out(ctx);
  return redirect("/");
}

http::Response password_change_page(Context& ctx) {
  if (!ctx.logged_in()) {
    return login_redirect(ctx);
  }
  if (is_read(ctx)) {
    return password_change_form(ctx, {});
  }
  if (ctx.request.method != "POST") {
    return method_not_allowed(ctx, "GET, HEAD, POST");
  }
  auto posted = read_posted_form(ctx);
  if (!posted.fields) {
    return posted.refusal;
  }
  core::User user = *ctx.user;
  core::FieldErrors errors;
  if (!core::verify_password(field_of(*posted.fields, "old_password"), user.password_hash).ok) {
    errors["old_password"].emplace_back(
        "Your old password was entered incorrectly. Please enter it again.");
  }
  const std::string password1 = field_of(*posted.fields, "new_password1");
  check_new_password(password1, field_of(*posted.fields, "new_password2"), user.username,
                     "new_password1", "new_password2", errors);
  if (!errors.empty()) {
    return password_change_form(ctx, errors);
  }
  user.password_hash = core::hash_password(password1);
  ctx.store().update_user(user);
  ctx.store().delete_user_sessions(user.id, ctx.session_id.value_or(""));
  return redirect("/accounts/password_change/done/");
}

http::Response password_change_done_page(Context& ctx) {
  if (!ctx.logged_in()) {
    return login_redirect(ctx);
  }
  return page(ctx, "password_change_done", Data(), "Password changed");
}

}  // namespace sillypaste::web
