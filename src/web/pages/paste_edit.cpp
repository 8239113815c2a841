#include "core/paste_builder.hpp"
#include "core/permissions.hpp"
#include "web/handlers.hpp"
#include "web/page.hpp"
#include "web/paste_access.hpp"
#include "web/paste_form_page.hpp"
#include "web/presenter.hpp"

namespace sillypaste::web {
namespace {

core::PasteFormInput input_from(const core::Paste& paste) {
  core::PasteFormInput input;
  input.title = paste.title;
  input.body = paste.body;
  if (paste.language_id) {
    input.language = std::to_string(*paste.language_id);
  }
  if (paste.burn) {
    input.expiry_preset = "burn";
  } else if (!paste.expiry) {
    input.expiry_preset = "never";
  } else {
    input.expiry_preset = "custom";
    const std::string iso = core::format_iso8601(*paste.expiry);  // 2030-01-02T03:04:05Z
    input.custom_expiry_date = iso.substr(0, 10);
    input.custom_expiry_time = iso.substr(11, 8);
  }
  input.is_private = paste.is_private;
  return input;
}

}  // namespace

http::Response paste_edit(Context& ctx, core::Id id) {
  const auto view = find_paste(ctx, PasteRef{id, {}});
  if (!view) {
    return not_found(ctx);
  }
  if (!core::can_modify(view->paste, ctx.viewer)) {
    return error_page(ctx, 403, "Only the paste's author or staff may edit it.");
  }
  PasteFormPage form;
  form.action = "/" + std::to_string(id) + "/edit/";
  form.heading = "Edit paste";
  form.input = input_from(view->paste);
  return serve_paste_form(ctx, std::move(form), [&ctx, &view](const core::PasteFields& fields,
                                                              const std::string& language) {
    core::Paste paste = view->paste;
    core::apply_edit(paste, fields, language);
    if (!ctx.store().update_paste(paste)) {
      return not_found(ctx);
    }
    return redirect(share_path(paste));
  });
}

}  // namespace sillypaste::web
