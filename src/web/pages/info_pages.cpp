#include "web/handlers.hpp"
#include "web/page.hpp"

namespace sillypaste::web {

http::Response stats(Context& ctx) {
  if (ctx.request.method != "GET" && ctx.request.method != "HEAD") {
    return method_not_allowed(ctx, "GET, HEAD");
  }
  const auto stats = ctx.store().stats();
  Data data;
  data.set("paste_count", std::to_string(stats.paste_count));
  data.set("paste_bytes", std::to_string(stats.paste_bytes));
  if (stats.last_expiry) {
    data.set("last_expiry", core::format_human(stats.last_expiry->timestamp));
    data.set("last_expiry_iso", core::format_iso8601(stats.last_expiry->timestamp));
  }
  data.set("total_expired", std::to_string(stats.total_expired));
  data.set("total_reclaimed", std::to_string(stats.total_reclaimed));
  data.set("total_pruned", std::to_string(stats.total_users_pruned));
  data.set("anonymous_users", std::to_string(stats.anonymous_users));
  data.set("registered_users", std::to_string(stats.registered_users));
  data.set("total_users", std::to_string(stats.anonymous_users + stats.registered_users));
  return page(ctx, "stats", std::move(data), "Statistics");
}

http::Response privacy_policy(Context& ctx) {
  if (ctx.request.method != "GET" && ctx.request.method != "HEAD") {
    return method_not_allowed(ctx, "GET, HEAD");
  }
  return page(ctx, "privacy", Data(), "Privacy policy");
}

http::Response not_found(Context& ctx) {
  return error_page(ctx, 404, "There is nothing at this address. The paste may have expired, "
                              "been deleted, or never existed.");
}

http::Response method_not_allowed(Context& ctx, std::string_view allowed) {
  auto response = error_page(ctx, 405, "This address does not accept " + ctx.request.method +
                                           "; it accepts " + std::string(allowed) + ".");
  response.add_header("Allow", std::string(allowed));
  return response;
}

}  // namespace sillypaste::web
