#include "web/handlers.hpp"
#include "web/page.hpp"
#include "web/paste_listing.hpp"

namespace sillypaste::web {

http::Response all_pastes(Context& ctx) {
  if (ctx.request.method != "GET" && ctx.request.method != "HEAD") {
    return method_not_allowed(ctx, "GET, HEAD");
  }
  auto listing = paste_listing(ctx, core::PasteQuery{}, 30);
  if (!listing.data) {
    return listing.response;
  }
  return page(ctx, "all", std::move(*listing.data), "All pastes");
}

}  // namespace sillypaste::web
