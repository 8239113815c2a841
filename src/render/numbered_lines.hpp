#pragma once

#include <string>
#include <string_view>

namespace sillypaste::render {

// The paste page's code from a paste's stored highlight_html(): each line becomes
//   <span class="line" id="L1"><a class="ln" href="#L1">1 </a><code>...</code></span>
// and the lines stay joined by "\n". Stored HTML from before that markup was left to
// the page (it starts with the first line's element) is returned as it is, so pastes
// written by older versions need no new highlighting.
[[nodiscard]] std::string numbered_lines_html(std::string_view highlighted);

}  // namespace sillypaste::render
