#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sillypaste::core {

constexpr std::size_t kMaxUsernameLength = 150;

// What is wrong with `username` (empty: acceptable). Like Django's
// UnicodeUsernameValidator: 1-150 characters of letters, digits and @/./+/-/_, where any
// non-ASCII character of valid UTF-8 counts as a letter.
[[nodiscard]] std::vector<std::string> username_problems(std::string_view username);

}  // namespace sillypaste::core
