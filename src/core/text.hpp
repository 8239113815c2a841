#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sillypaste::core {

[[nodiscard]] bool is_valid_utf8(std::string_view text);
// Number of code points in valid UTF-8 text.
[[nodiscard]] std::size_t utf8_length(std::string_view text);
// CRLF -> LF; everything else untouched.
[[nodiscard]] std::string normalize_newlines(std::string_view text);
// Strips ASCII whitespace at both ends.
[[nodiscard]] std::string_view trim(std::string_view text);
[[nodiscard]] std::string ascii_lower(std::string_view text);

}  // namespace sillypaste::core
