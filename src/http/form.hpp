#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sillypaste::http {

using Fields = std::vector<std::pair<std::string, std::string>>;

// Each of our forms has fewer than a dozen fields; more is someone making us allocate.
constexpr std::size_t kMaxFormFields = 64;

enum class FormError {
  kNone,
  kMalformed,      // a bad %XX escape, or decoded bytes that are not UTF-8
  kTooManyFields,  // more than the limit of name=value pairs
};

struct ParsedForm {
  Fields fields;
  FormError error = FormError::kNone;

  [[nodiscard]] bool ok() const { return error == FormError::kNone; }
};

// Decodes application/x-www-form-urlencoded text or a query string ('+' is a space,
// %XX escapes), refusing more than kMaxFormFields pairs.
[[nodiscard]] ParsedForm parse_form(std::string_view text);

// Why a form was refused, for a 400 answer: "it has more than 64 fields".
[[nodiscard]] std::string describe(FormError error);

// parse_form for callers that need no reason: nullopt when refused.
[[nodiscard]] std::optional<Fields> parse_urlencoded(std::string_view text);

// First value of a field, if present.
[[nodiscard]] std::optional<std::string> field(const Fields& fields, std::string_view name);

// Percent-encodes a query component value ("a b&c" -> "a%20b%26c").
[[nodiscard]] std::string encode_query_value(std::string_view value);

}  // namespace sillypaste::http
