#pragma once

#include <string>
#include <string_view>

namespace sillypaste::render {

// Escapes & < > " ' for use in HTML text and attribute values.
[[nodiscard]] std::string escape_html(std::string_view text);
void append_escaped_html(std::string& out, std::string_view text);

// `text` with every byte sequence that is not well-formed UTF-8 (stray continuation
// bytes, overlongs, surrogates, code points above U+10FFFF, truncated sequences)
// replaced by U+FFFD, so rendered output is always valid UTF-8.
[[nodiscard]] std::string to_valid_utf8(std::string_view text);

}  // namespace sillypaste::render
