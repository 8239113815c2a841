#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sillypaste::http {

struct Target {
  std::string path;   // percent-decoded
  std::string query;  // raw, without '?'
};

// Splits a request target ("/a%20b/?q=x", or absolute-form "http://host/a?q") into a
// decoded path and a raw query. nullopt when the path has a bad escape or decodes to
// a NUL byte, or the target is neither origin- nor absolute-form.
[[nodiscard]] std::optional<Target> parse_target(std::string_view target);

}  // namespace sillypaste::http
