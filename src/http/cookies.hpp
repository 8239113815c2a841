#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace sillypaste::http {

// Value of a cookie from the request's Cookie header(s); nullopt when absent or the
// header is malformed.
[[nodiscard]] std::optional<std::string> cookie(const Request& request, std::string_view name);

struct CookieOptions {
  std::optional<long long> max_age_seconds;  // nullopt: a session cookie
  bool http_only = true;
  bool secure = false;
  std::string same_site = "Lax";
  std::string path = "/";
};

// The value of a Set-Cookie header.
[[nodiscard]] std::string set_cookie_header(std::string_view name, std::string_view value,
                                            const CookieOptions& options);

}  // namespace sillypaste::http
