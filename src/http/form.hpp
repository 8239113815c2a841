#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sillypaste::http {

using Fields = std::vector<std::pair<std::string, std::string>>;

// Decodes application/x-www-form-urlencoded text or a query string ('+' is a space,
// %XX escapes). nullopt when malformed (bad escape, decoded bytes not valid UTF-8).
[[nodiscard]] std::optional<Fields> parse_urlencoded(std::string_view text);

// First value of a field, if present.
[[nodiscard]] std::optional<std::string> field(const Fields& fields, std::string_view name);

// Percent-encodes a query component value ("a b&c" -> "a%20b%26c").
[[nodiscard]] std::string encode_query_value(std::string_view value);

}  // namespace sillypaste::http
