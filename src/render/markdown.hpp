#pragma once

#include <string>
#include <string_view>

namespace sillypaste::render {

// CommonMark + GitHub tables, strikethrough, autolinks and task lists, to HTML. Raw HTML
// is dropped and javascript:/data:/vbscript: links are neutralised.
[[nodiscard]] std::string markdown_to_html(std::string_view markdown);

}  // namespace sillypaste::render
