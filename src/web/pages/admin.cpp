#include <charconv>
#include <string>
#include <variant>

#include "core/log.hpp"
#include "core/paste_builder.hpp"
#include "core/random.hpp"
#include "http/form.hpp"
#include "web/handlers.hpp"
#include "web/page.hpp"
#include "web/paste_form_page.hpp"
#include "web/paste_listing.hpp"
#include "web/presenter.hpp"

namespace sillypaste::web {
namespace {

constexpr int kAdminPageSize = 50;

std::optional<core::Id> parse_id(std::string_view text) {
  core::Id id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || id <= 0) {
    return std::nullopt;
  }
  return id;
}

void audit(const Context& ctx, std::string_view action, std::string_view what, core::Id id) {
  core::log_line("admin: " + ctx.user->username + " " + std::string(action) + " " +
                 std::string(what) + " " + std::to_string(id) + "\n");
}

// Staff only: others go to the login page, or get 403 when logged in.
std::optional<http::Response> refuse_non_staff(Context& ctx) {
  if (!ctx.logged_in()) {
    return login_redirect(ctx);
  }
  if (!ctx.user->is_staff) {
    return error_page(ctx, 403, "The administration pages are for staff only.");
  }
  return std::nullopt;
}

struct AdminAction {
  std::string action;
  core::Id id = 0;
};

// Reads a posted admin action; a response when the request is refused.
std::variant<AdminAction, http::Response> read_action(Context& ctx) {
  auto posted = read_posted_form(ctx);
  if (!posted.fields) {
    return posted.refusal;
  }
  AdminAction action;
  action.action = http::field(*posted.fields, "action").value_or("");
  const auto id = parse_id(http::field(*posted.fields, "id").value_or(""));
  if (!id) {
    return error_page(ctx, 400, "The admin action needs a numeric id.");
  }
  action.id = *id;
  return action;
}

http::Response back_to(const Context& ctx) {
  return redirect(ctx.request.path + (ctx.request.query.empty() ? "" : "?" + ctx.request.query));
}

http::Response paste_action(Context& ctx, const AdminAction& action) {
  auto view = ctx.store().paste_by_id(action.id, ctx.now);
  if (!view) {
    return error_page(ctx, 404, "There is no paste " + std::to_string(action.id) + ".");
  }
  core::Paste paste = view->paste;
  if (action.action == "delete") {
    (void)ctx.store().delete_paste(paste.id);
  } else if (action.action == "toggle_private") {
    paste.is_private = !paste.is_private;
    paste.secret = paste.is_private ? core::random_slug(core::kSecretBytes) : std::string();
    (void)ctx.store().update_paste(paste);
  } else if (action.action == "toggle_freeze") {
    paste.freeze_hits = !paste.freeze_hits;
    (void)ctx.store().update_paste(paste);
  } else {
    return error_page(ctx, 400,
                      "Unknown paste action '" + action.action +
                          "': use delete, toggle_private or toggle_freeze.");
  }
  audit(ctx, action.action, "paste", paste.id);
  return back_to(ctx);
}

http::Response user_action(Context& ctx, const AdminAction& action) {
  auto user = ctx.store().user_by_id(action.id);
  if (!user) {
    return error_page(ctx, 404, "There is no user " + std::to_string(action.id) + ".");
  }
  if (user->id == ctx.user->id) {
    return error_page(ctx, 400, "You cannot change or delete your own account here.");
  }
  if (action.action == "delete") {
    (void)ctx.store().delete_user(user->id);
  } else if (action.action == "toggle_active") {
    user->is_active = !user->is_active;
    ctx.store().update_user(*user);
    if (!user->is_active) {
      ctx.store().delete_user_sessions(user->id, "");
    }
  } else if (action.action == "toggle_staff") {
    user->is_staff = !user->is_staff;
    ctx.store().update_user(*user);
  } else {
    return error_page(
        ctx, 400,
        "Unknown user action '" + action.action + "': use toggle_active, toggle_staff or delete.");
  }
  audit(ctx, action.action, "user", user->id);
  return back_to(ctx);
}

// For the admin lists: refuses non-staff, hands a POST to `act`, answers 405 to other
// methods; nullopt when the request is a read and the list should be shown.
std::optional<http::Response> handle_non_read(Context& ctx,
                                              http::Response (*act)(Context&, const AdminAction&)) {
  if (auto refusal = refuse_non_staff(ctx)) {
    return refusal;
  }
  if (ctx.request.method == "POST") {
    auto action = read_action(ctx);
    if (auto* response = std::get_if<http::Response>(&action)) {
      return *response;
    }
    return act(ctx, std::get<AdminAction>(action));
  }
  if (ctx.request.method != "GET" && ctx.request.method != "HEAD") {
    return method_not_allowed(ctx, "GET, HEAD, POST");
  }
  return std::nullopt;
}

}  // namespace

http::Response admin_home(Context& ctx) {
  if (auto refusal = refuse_non_staff(ctx)) {
    return *refusal;
  }
  const auto stats = ctx.store().stats();
  Data data;
  data.set("paste_count", std::to_string(stats.paste_count));
  data.set("user_count", std::to_string(stats.registered_users));
  data.set("anonymous_count", std::to_string(stats.anonymous_users));
  return page(ctx, "admin", std::move(data), "Administration");
}

http::Response admin_pastes(Context& ctx) {
  if (auto answer = handle_non_read(ctx, paste_action)) {
    return *answer;
  }
  auto listing = paste_listing(ctx, core::PasteQuery{}, kAdminPageSize);
  if (!listing.data) {
    return listing.response;
  }
  return page(ctx, "admin_pastes", std::move(*listing.data), "Administration: pastes");
}

http::Response admin_users(Context& ctx) {
  if (auto answer = handle_non_read(ctx, user_action)) {
    return *answer;
  }
  core::UserQuery query;
  query.search = http::field(ctx.query, "q").value_or("");
  query.include_anonymous = http::field(ctx.query, "anonymous").value_or("") == "1";
  query.limit = 200;
  const auto users = ctx.store().list_users(query);
  List rows;
  for (const auto& user : users.items) {
    Data row;
    row.set("id", std::to_string(user.id));
    row.set("username", user.username);
    row.set("is_staff", user.is_staff);
    row.set("is_superuser", user.is_superuser);
    row.set("is_active", user.is_active);
    row.set("is_anonymous", user.is_anonymous);
    row.set("joined", core::format_human(user.date_joined));
    row.set("last_login", user.last_login ? core::format_human(*user.last_login) : "never");
    rows.push_back(row);
  }
  Data data;
  data.set("users", rows);
  data.set("total", std::to_string(users.total));
  data.set("q", query.search);
  data.set("anonymous", query.include_anonymous);
  data.set("back", ctx.request.target);
  return page(ctx, "admin_users", std::move(data), "Administration: users");
}

http::Response admin_languages(Context& ctx) {
  if (auto refusal = refuse_non_staff(ctx)) {
    return *refusal;
  }
  List rows;
  for (const auto& language : ctx.store().languages()) {
    Data row;
    row.set("id", std::to_string(language.id));
    row.set("name", language.name);
    rows.push_back(row);
  }
  Data data;
  data.set("languages", rows);
  data.set("count", std::to_string(rows.size()));
  return page(ctx, "admin_languages", std::move(data), "Administration: languages");
}

}  // namespace sillypaste::web
