#include "http/form.hpp"
#include "web/handlers.hpp"
#include "web/page.hpp"
#include "web/paste_listing.hpp"

namespace sillypaste::web {

http::Response profile(Context& ctx, std::string_view username) {
  if (ctx.request.method != "GET" && ctx.request.method != "HEAD") {
    return method_not_allowed(ctx, "GET, HEAD");
  }
  const auto user = ctx.store().user_by_username(username);
  const bool is_self = user && ctx.viewer.user_id == user->id;
  // Anonymous session users have no public face (SPEC §5).
  if (!user || (user->is_anonymous && !is_self)) {
    return not_found(ctx);
  }
  core::PasteQuery query;
  query.author_id = user->id;
  auto listing = paste_listing(ctx, query, 30);
  if (!listing.data) {
    return listing.response;
  }
  Data data = std::move(*listing.data);
  data.set("profile_name", user->is_anonymous ? std::string("Your anonymous pastes") : user->username);
  data.set("is_self", is_self);
  data.set("joined", core::format_human(user->date_joined));
  data.set("joined_iso", core::format_iso8601(user->date_joined));
  return page(ctx, "profile", std::move(data), user->username);
}

http::Response my_pastes(Context& ctx) {
  if (!ctx.logged_in()) {
    return login_redirect(ctx);
  }
  return redirect("/profile/" + http::encode_query_value(ctx.user->username) + "/");
}

}  // namespace sillypaste::web
