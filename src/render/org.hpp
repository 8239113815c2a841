#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace sillypaste::render {

// Org mode to HTML through `pandoc --sandbox` with a Lua filter that drops raw HTML and
// links whose target is not http(s), mailto or relative. Slow (a subprocess): call it when
// a paste is written, never per view. On pandoc failure or timeout, returns the text
// escaped inside <pre>.
[[nodiscard]] std::string org_to_html(std::string_view org,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace sillypaste::render
