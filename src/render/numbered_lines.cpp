#include "render/numbered_lines.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>

namespace sillypaste::render {

namespace {

constexpr std::string_view kLegacyFirstLine = "<span class=\"line\" id=\"L1\">";

void append_line(std::string& out, std::size_t number, std::string_view code) {
  std::array<char, 24> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), number).ptr;
  const std::string_view n(digits.data(), static_cast<std::size_t>(end - digits.data()));
  out.append("<span class=\"line\" id=\"L").append(n).append("\"><a class=\"ln\" href=\"#L");
  out.append(n).append("\">").append(n).append(" </a><code>");
  out.append(code).append("</code></span>");
}

}  // namespace

std::string numbered_lines_html(std::string_view highlighted) {
  if (highlighted.starts_with(kLegacyFirstLine)) {
    return std::string(highlighted);
  }
  const auto lines =
      static_cast<std::size_t>(std::count(highlighted.begin(), highlighted.end(), '\n') + 1);
  std::string out;
  out.reserve(highlighted.size() + lines * 80);
  std::size_t number = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = std::min(highlighted.find('\n', start), highlighted.size());
    if (start > 0) {
      out.push_back('\n');
    }
    append_line(out, ++number, highlighted.substr(start, end - start));
    if (end == highlighted.size()) {
      break;
    }
    start = end + 1;
  }
  return out;
}

}  // namespace sillypaste::render
