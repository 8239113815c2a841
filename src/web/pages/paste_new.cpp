#include <charconv>

#include "web/handlers.hpp"
#include "web/new_paste.hpp"
#include "web/page.hpp"
#include "web/paste_access.hpp"
#include "web/paste_form_page.hpp"
#include "web/presenter.hpp"
#include "web/rate_limits.hpp"
#include "web/session.hpp"

namespace sillypaste::web {
namespace {

// /paste/?from=<id> prefills the form with a paste this visitor can see.
void prefill_from(Context& ctx, core::PasteFormInput& input) {
  const auto from = http::field(ctx.query, "from");
  if (!from) {
    return;
  }
  core::Id id = 0;
  auto [ptr, ec] = std::from_chars(from->data(), from->data() + from->size(), id);
  if (ec != std::errc{} || ptr != from->data() + from->size()) {
    return;
  }
  const auto view = find_paste(ctx, PasteRef{id, {}});
  if (!view || view->paste.burn) {
    return;
  }
  input.title = view->paste.title;
  input.body = view->paste.body;
  if (view->paste.language_id) {
    input.language = std::to_string(*view->paste.language_id);
  }
}

}  // namespace

http::Response paste_new(Context& ctx) {
  PasteFormPage form;
  form.action = "/paste/";
  form.heading = "New paste";
  prefill_from(ctx, form.input);
  return serve_paste_form(ctx, std::move(form), [&ctx](const core::PasteFields& fields,
                                                       const std::string& language) {
    if (const auto limit = count_paste_creation(ctx, ctx.user); !limit.allowed) {
      auto response = error_page(
          ctx, 429,
          try_again_message("Too many pastes created from your address", limit) +
              " Nothing was saved: go back to keep your text.");
      add_retry_after(response, limit);
      return response;
    }
    const core::Id author = ensure_session_user(ctx);
    return create_paste(
        ctx, fields, author, language,
        [](const Context&, const core::Paste& paste) { return redirect(share_path(paste)); });
  });
}

}  // namespace sillypaste::web
