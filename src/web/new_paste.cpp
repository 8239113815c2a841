#include "web/new_paste.hpp"

#include "core/paste_builder.hpp"

namespace sillypaste::web {

core::Paste create_paste(Context& ctx, const core::PasteFields& fields,
                         std::optional<core::Id> author, std::string_view language_name) {
  store::ExpectedWrite expected = ctx.store().expect_paste_insert();
  core::Paste paste = core::build_paste(fields, author, language_name, ctx.now);
  expected.release();
  paste.id = ctx.store().insert_paste(paste);
  return paste;
}

}  // namespace sillypaste::web
