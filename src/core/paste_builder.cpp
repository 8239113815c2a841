#include "core/paste_builder.hpp"

#include "core/random.hpp"
#include "render/rendered_paste.hpp"

namespace sillypaste::core {

void apply_edit(Paste& paste, const PasteFields& fields, std::string_view language_name) {
  paste.title = fields.title;
  paste.body = fields.body;
  paste.language_id = fields.language_id;
  paste.expiry = fields.expiry;
  paste.burn = fields.burn;
  paste.is_private = fields.is_private;
  if (paste.is_private && paste.secret.empty()) {
    paste.secret = random_slug(kSecretBytes);
  } else if (!paste.is_private) {
    paste.secret.clear();
  }
  paste.size = static_cast<std::int64_t>(paste.title.size() + paste.body.size());
  auto rendered = render::render_paste(paste.body, language_name);
  paste.body_html = std::move(rendered.body_html);
  paste.rendered_html = std::move(rendered.rendered_html);
}

Paste build_paste(const PasteFields& fields, std::optional<Id> author_id,
                  std::string_view language_name, Micros now) {
  Paste paste;
  paste.timestamp = now;
  paste.author_id = author_id;
  apply_edit(paste, fields, language_name);
  return paste;
}

}  // namespace sillypaste::core
