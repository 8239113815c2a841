#include "core/username_policy.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace sillypaste::core {
namespace {

constexpr std::string_view kInvalidUsername =
    "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ "
    "characters.";

bool allowed_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '@' || c == '.' || c == '+' || c == '-' || c == '_';
}

// Non-ASCII code points that are not letters: C1 controls, the no-break and other
// Unicode spaces, format characters, the byte-order mark.
bool is_non_ascii_space_or_control(std::string_view text) {
  constexpr std::string_view kRejected[] = {
      "\u00a0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005",
      "\u2006", "\u2007", "\u2008", "\u2009", "\u200a", "\u200b", "\u200c", "\u200d",
      "\u200e", "\u200f", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff",
  };
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    // U+0080..U+009F encode as C2 80..C2 9F.
    if (static_cast<unsigned char>(text[i]) == 0xC2 &&
        static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      return true;
    }
  }
  return std::any_of(std::begin(kRejected), std::end(kRejected), [&](std::string_view bad) {
    return text.find(bad) != std::string_view::npos;
  });
}

}  // namespace

std::vector<std::string> username_problems(std::string_view username) {
  std::vector<std::string> problems;
  if (username.empty()) {
    problems.emplace_back("This field is required.");
    return problems;
  }
  if (!is_valid_utf8(username) || !std::all_of(username.begin(), username.end(), allowed_byte) ||
      is_non_ascii_space_or_control(username)) {
    problems.emplace_back(kInvalidUsername);
  }
  if (is_valid_utf8(username) && utf8_length(username) > kMaxUsernameLength) {
    problems.emplace_back("Ensure this value has at most 150 characters (it has " +
                          std::to_string(utf8_length(username)) + ").");
  }
  return problems;
}

}  // namespace sillypaste::core
