#include "render/rendered_paste.hpp"

#include "render/highlight.hpp"
#include "render/markdown.hpp"
#include "render/org.hpp"
#include "render/syntax_repository.hpp"

namespace sillypaste::render {

bool is_renderable(std::string_view language) {
  const std::string lower = detail::ascii_lower(language);
  return lower == "markdown" || lower == "org-mode";
}

RenderedPaste render_paste(std::string_view body, std::string_view language) {
  RenderedPaste rendered;
  rendered.body_html = highlight_html(body, language);
  const std::string lower = detail::ascii_lower(language);
  if (lower == "markdown") {
    rendered.rendered_html = markdown_to_html(body);
  } else if (lower == "org-mode") {
    rendered.rendered_html = org_to_html(body);
  }
  return rendered;
}

}  // namespace sillypaste::render
