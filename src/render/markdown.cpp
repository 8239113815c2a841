#include "render/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>
#include <mutex>

namespace sillypaste::render {

namespace {

constexpr const char* kExtensions[] = {"table", "strikethrough", "autolink", "tasklist"};

// Raw HTML is omitted and javascript:/vbscript:/file:/data: (except images) URLs are
// blanked unless CMARK_OPT_UNSAFE is given; we never give it.
constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;

struct ParserDeleter {
  void operator()(cmark_parser* parser) const { cmark_parser_free(parser); }
};
struct NodeDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
struct CStringDeleter {
  void operator()(char* text) const { std::free(text); }  // NOLINT: cmark allocates with malloc
};

void register_extensions_once() {
  // cmark_gfm_core_extensions_ensure_registered() mutates a global registry unguarded.
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

}  // namespace

std::string markdown_to_html(std::string_view markdown) {
  register_extensions_once();
  // Attaching an extension edits cmark-gfm's global table of special inline characters,
  // and freeing the parser edits it back: two parsers at once race on it (seen as lost
  // strikethrough and autolinks). Rendering happens on write only, so one at a time is fine.
  static std::mutex one_parser_at_a_time;
  const std::lock_guard lock(one_parser_at_a_time);
  const std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(kOptions));
  if (!parser) return {};
  for (const char* name : kExtensions) {
    if (cmark_syntax_extension* extension = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), extension);
    }
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  const std::unique_ptr<cmark_node, NodeDeleter> document(cmark_parser_finish(parser.get()));
  if (!document) return {};
  const std::unique_ptr<char, CStringDeleter> html(cmark_render_html(
      document.get(), kOptions, cmark_parser_get_syntax_extensions(parser.get())));
  return html ? std::string(html.get()) : std::string();
}

}  // namespace sillypaste::render
