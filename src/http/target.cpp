#include "http/target.hpp"

namespace sillypaste::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// '+' stays '+' in a path; only %XX is decoded.
std::optional<std::string> decode_path(std::string_view path) {
  std::string decoded;
  decoded.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '%') {
      if (i + 2 >= path.size()) return std::nullopt;
      const int hi = hex_value(path[i + 1]);
      const int lo = hex_value(path[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return std::nullopt;
    decoded.push_back(c);
  }
  return decoded;
}

// "http://host:8000/a?b" -> "/a?b"; "http://host" -> "/".
std::optional<std::string_view> strip_absolute_form(std::string_view target) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.size() < scheme.size()) continue;
    bool matches = true;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
      const char c = target[i];
      if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != scheme[i]) {
        matches = false;
        break;
      }
    }
    if (!matches) continue;
    const auto rest = target.substr(scheme.size());
    const auto slash = rest.find_first_of("/?");
    if (slash == std::string_view::npos) return std::string_view{"/"};
    if (rest[slash] == '?') return std::nullopt;  // keep it simple: rare and odd
    return rest.substr(slash);
  }
  return std::nullopt;
}

constexpr std::size_t kLongestMethod = 32;

bool is_method_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

}  // namespace

RequestLine split_request_line(std::string_view head) {
  const auto space = head.find(' ');
  if (space == 0 || space == std::string_view::npos || space > kLongestMethod) return {};
  const std::string_view method = head.substr(0, space);
  for (char c : method) {
    if (!is_method_char(c)) return {};
  }
  const std::string_view rest = head.substr(space + 1);
  return {method, rest.substr(0, rest.find_first_of(" \r\n"))};
}

std::optional<Target> parse_target(std::string_view target) {
  if (target.empty()) return std::nullopt;
  if (target.front() != '/') {
    auto stripped = strip_absolute_form(target);
    if (!stripped) return std::nullopt;
    target = *stripped;
  }
  // A fragment never belongs in a request target; drop it rather than fail.
  target = target.substr(0, target.find('#'));
  const auto question = target.find('?');
  auto path = decode_path(target.substr(0, question));
  if (!path) return std::nullopt;
  Target result{std::move(*path), {}};
  if (question != std::string_view::npos) result.query = std::string{target.substr(question + 1)};
  return result;
}

}  // namespace sillypaste::http
