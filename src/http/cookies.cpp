#include "http/cookies.hpp"

#include <stdexcept>

namespace sillypaste::http {

namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

bool is_token_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7F) return false;
  return std::string_view{"()<>@,;:\\\"/[]?={}"}.find(c) == std::string_view::npos;
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

// RFC 6265 cookie-octet: no controls, whitespace, DQUOTE, comma, semicolon, backslash.
bool is_cookie_octet(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u <= 0x2B) || (u >= 0x2D && u <= 0x3A) ||
         (u >= 0x3C && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
}

bool is_cookie_value(std::string_view value) {
  for (char c : value) {
    if (!is_cookie_octet(c)) return false;
  }
  return true;
}

// The value of `name` in one Cookie header. A pair that does not parse is skipped
// rather than failing the header: a stray cookie from another application on the same
// domain must not log the user out.
std::optional<std::string> find_in_header(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semicolon = header.find(';');
    const std::string_view pair = trim(header.substr(0, semicolon));
    header =
        semicolon == std::string_view::npos ? std::string_view{} : header.substr(semicolon + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (trim(pair.substr(0, eq)) != name) continue;
    std::string_view value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (!is_cookie_value(value)) return std::nullopt;
    return std::string{value};
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> cookie(const Request& request, std::string_view name) {
  if (!is_token(name)) return std::nullopt;
  for (const auto& [key, value] : request.headers) {
    if (key != "cookie") continue;  // names are lower-cased by the server
    if (auto found = find_in_header(value, name)) return found;
  }
  return std::nullopt;
}

std::string set_cookie_header(std::string_view name, std::string_view value,
                              const CookieOptions& options) {
  // Names and values come from our code, never from a client: a bad one is a bug.
  if (!is_token(name)) throw std::invalid_argument("invalid cookie name");
  if (!is_cookie_value(value)) throw std::invalid_argument("invalid cookie value");
  if (!is_cookie_value(options.path) ||
      !is_token(options.same_site.empty() ? "x" : options.same_site)) {
    throw std::invalid_argument("invalid cookie attribute");
  }
  std::string header;
  header.reserve(name.size() + value.size() + 64);
  header.append(name).append("=").append(value);
  if (!options.path.empty()) header.append("; Path=").append(options.path);
  if (options.max_age_seconds) {
    header.append("; Max-Age=").append(std::to_string(*options.max_age_seconds));
  }
  if (options.http_only) header.append("; HttpOnly");
  if (options.secure) header.append("; Secure");
  if (!options.same_site.empty()) header.append("; SameSite=").append(options.same_site);
  return header;
}

}  // namespace sillypaste::http
