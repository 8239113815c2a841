#include "core/password_policy.hpp"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "core/embedded_data.hpp"
#include "core/text.hpp"

namespace sillypaste::core {
namespace {

constexpr std::string_view kCommonPasswordsFile = "common-passwords.txt";
// Usernames at least this long are also rejected when contained in the password (or the
// other way round), which catches "alice2024!" where the ratio alone might not.
constexpr std::size_t kMinContainedUsernameLength = 3;

const std::unordered_set<std::string_view>& common_passwords() {
  static const std::unordered_set<std::string_view> passwords = [] {
    std::unordered_set<std::string_view> set;
    const auto& files = data::embedded_files();
    const auto found = files.find(std::string(kCommonPasswordsFile));
    if (found == files.end()) {
      return set;
    }
    std::string_view text = found->second;
    set.reserve(20'000);
    while (!text.empty()) {
      const auto end = text.find('\n');
      const std::string_view line = trim(text.substr(0, end));
      if (!line.empty()) {
        set.insert(line);
      }
      if (end == std::string_view::npos) {
        break;
      }
      text.remove_prefix(end + 1);
    }
    return set;
  }();
  return passwords;
}

// Splits UTF-8 into code points; a byte that starts no valid sequence counts as one.
std::vector<std::uint32_t> code_points(std::string_view text) {
  std::vector<std::uint32_t> out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
    }
    if (length > 1 && (i + length > text.size() || !is_valid_utf8(text.substr(i, length)))) {
      length = 1;
    }
    std::uint32_t code = 0;
    for (std::size_t k = 0; k < length; ++k) {
      code = (code << 8) | static_cast<unsigned char>(text[i + k]);
    }
    out.push_back(code);
    i += length;
  }
  return out;
}

// Python's \w for our purposes: ASCII letters, digits, '_' and anything non-ASCII.
bool is_word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_';
}

// re.split(r'\W+', value) + [value], as Django compares against.
std::vector<std::string_view> value_parts(std::string_view value) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= value.size(); ++i) {
    if (i == value.size() || !is_word_byte(value[i])) {
      parts.push_back(value.substr(start, i - start));
      while (i < value.size() && !is_word_byte(value[i])) {
        ++i;
      }
      start = i;
    }
  }
  parts.push_back(value);
  return parts;
}

// Django skips parts so much shorter than the password that they cannot reach the ratio.
bool exceeds_maximum_length_ratio(std::size_t password_length, std::size_t value_length) {
  const double bound = kMaxPasswordSimilarity / 2 * static_cast<double>(password_length);
  return password_length >= 10 * value_length && static_cast<double>(value_length) < bound;
}

bool too_similar(std::string_view password, std::string_view username) {
  if (username.empty()) {
    return false;
  }
  const std::string lower_password = ascii_lower(password);
  const std::string lower_username = ascii_lower(username);
  if (utf8_length(lower_username) >= kMinContainedUsernameLength &&
      (lower_password.find(lower_username) != std::string::npos ||
       (!lower_password.empty() && lower_username.find(lower_password) != std::string::npos))) {
    return true;
  }
  const std::size_t password_length = utf8_length(lower_password);
  for (const auto part : value_parts(lower_username)) {
    if (exceeds_maximum_length_ratio(password_length, utf8_length(part))) {
      continue;
    }
    if (quick_similarity(lower_password, part) >= kMaxPasswordSimilarity) {
      return true;
    }
  }
  return false;
}

bool entirely_numeric(std::string_view password) {
  return !password.empty() &&
         std::all_of(password.begin(), password.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

double quick_similarity(std::string_view a, std::string_view b) {
  const auto left = code_points(a);
  const auto right = code_points(b);
  if (left.empty() && right.empty()) {
    return 1.0;
  }
  std::unordered_map<std::uint32_t, int> available;
  for (const auto c : right) {
    ++available[c];
  }
  std::size_t matches = 0;
  for (const auto c : left) {
    auto found = available.find(c);
    if (found != available.end() && found->second > 0) {
      --found->second;
      ++matches;
    }
  }
  return 2.0 * static_cast<double>(matches) / static_cast<double>(left.size() + right.size());
}

bool is_common_password(std::string_view password) {
  const std::string key = ascii_lower(trim(password));
  return common_passwords().contains(key);
}

std::vector<std::string> password_problems(std::string_view password, std::string_view username) {
  std::vector<std::string> problems;
  if (too_similar(password, username)) {
    problems.emplace_back("The password is too similar to the username.");
  }
  if (utf8_length(password) < kMinPasswordLength) {
    problems.emplace_back("This password is too short. It must contain at least 8 characters.");
  }
  if (is_common_password(password)) {
    problems.emplace_back("This password is too common.");
  }
  if (entirely_numeric(password)) {
    problems.emplace_back("This password is entirely numeric.");
  }
  return problems;
}

}  // namespace sillypaste::core
