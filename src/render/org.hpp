#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace sillypaste::render {

// Org mode to HTML through `pandoc --sandbox` with a Lua filter that drops raw HTML and
// links whose target is not http(s), mailto or relative. Slow (a subprocess): call it when
// a paste is written, never per view. On pandoc failure or timeout, returns the text
// escaped inside <pre>. Blank input gives "". Invalid UTF-8 becomes U+FFFD. Needs
// `pandoc` on PATH and a writable temporary directory (TMPDIR or /tmp) for the filter.
[[nodiscard]] std::string org_to_html(std::string_view org,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace sillypaste::render
