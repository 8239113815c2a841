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

struct RequestLine {
  std::string_view method;  // empty when the bytes do not start like a request line
  std::string_view target;  // as far as it arrived: to a space, a line end or the end
};

// The method and target at the start of a request's raw bytes, for a request whose head
// the parser refused as too large, so that its answer can still follow the target.
[[nodiscard]] RequestLine split_request_line(std::string_view head);

}  // namespace sillypaste::http
