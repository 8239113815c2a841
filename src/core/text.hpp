#pragma once

#include <array>
#include <charconv>
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

// Appends `value` as std::to_chars writes it, with its options (a std::chars_format and a
// precision for floating point), without a temporary string. A value longer than 64
// characters (a huge double in fixed notation) is left out.
template <typename Number, typename... Options>
void append_number(std::string& out, Number value, Options... options) {
  std::array<char, 64> text{};
  const auto [end, error] =
      std::to_chars(text.data(), text.data() + text.size(), value, options...);
  if (error == std::errc{}) {
    out.append(text.data(), end);
  }
}

}  // namespace sillypaste::core
