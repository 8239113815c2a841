#include "core/permissions.hpp"
#include "web/handlers.hpp"
#include "web/page.hpp"
#include "web/paste_access.hpp"
#include "web/paste_form_page.hpp"
#include "web/presenter.hpp"

namespace sillypaste::web {

http::Response paste_delete(Context& ctx, core::Id id) {
  const auto view = find_paste(ctx, PasteRef{id, {}});
  if (!view) {
    return not_found(ctx);
  }
  if (!core::can_modify(view->paste, ctx.viewer)) {
    return error_page(ctx, 403, "Only the paste's author or staff may delete it.");
  }
  if (ctx.request.method == "GET" || ctx.request.method == "HEAD") {
    Data data = paste_summary(*view);
    data.set("action", "/" + std::to_string(id) + "/delete/");
    return page(ctx, "paste_delete", std::move(data), "Delete " + view->paste.title);
  }
  if (ctx.request.method != "POST") {
    return method_not_allowed(ctx, "GET, HEAD, POST");
  }
  auto posted = read_posted_form(ctx);
  if (!posted.fields) {
    return posted.refusal;
  }
  (void)ctx.store().delete_paste(id);
  return redirect("/");
}

}  // namespace sillypaste::web
