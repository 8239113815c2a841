#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sillypaste::render {

struct RenderedPaste {
  std::string body_html;                     // highlight_html() of the body
  std::optional<std::string> rendered_html;  // for markdown and org-mode only
};

// True for the languages that have a rendered view: "markdown" and "org-mode"
// (case-insensitive).
[[nodiscard]] bool is_renderable(std::string_view language);

// Everything a paste page needs, computed once when the paste is written.
[[nodiscard]] RenderedPaste render_paste(std::string_view body, std::string_view language);

}  // namespace sillypaste::render
