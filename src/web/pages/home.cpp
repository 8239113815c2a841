#include "web/handlers.hpp"
#include "web/page.hpp"
#include "web/presenter.hpp"

namespace sillypaste::web {

http::Response home(Context& ctx) {
  if (ctx.request.method == "POST") {
    return raw_create(ctx);
  }
  if (ctx.request.method != "GET" && ctx.request.method != "HEAD") {
    return method_not_allowed(ctx, "GET, HEAD, POST");
  }
  core::PasteQuery newest;
  newest.sort = core::Sort{core::SortField::kTimestamp, true};
  newest.limit = 20;
  newest.now = ctx.now;  // no viewer: public pastes only
  newest.with_total = false;
  const auto recent = ctx.store().list_pastes(newest);
  const auto top = ctx.store().top_pastes(5, ctx.now);
  Data data;
  data.set("recent", paste_rows(recent.items));
  data.set("has_recent", !recent.items.empty());
  data.set("top", paste_rows(top));
  data.set("has_top", !top.empty());
  data.set("origin", ctx.origin());
  return page(ctx, "home", std::move(data), "Pastes");
}

}  // namespace sillypaste::web
