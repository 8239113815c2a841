#include "web/paste_access.hpp"

#include "core/permissions.hpp"

namespace sillypaste::web {

std::optional<core::PasteView> find_paste(Context& ctx, const PasteRef& ref) {
  if (ref.id) {
    auto view = ctx.store().paste_by_id(*ref.id, ctx.now);
    if (!view || !core::can_view_by_id(view->paste, ctx.viewer)) {
      return std::nullopt;
    }
    return view;
  }
  return ctx.store().paste_by_secret(ref.secret, ctx.now);
}

void count_hit(Context& ctx, const core::Paste& paste) {
  if (!paste.freeze_hits) {
    ctx.services.hits.add(paste.id);
  }
}

std::string reference_path(const PasteRef& ref) {
  return ref.id ? "/" + std::to_string(*ref.id) + "/" : "/s/" + ref.secret + "/";
}

}  // namespace sillypaste::web
