#include "http/form.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace sillypaste::http {

namespace {

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int length = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (end - p < length) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (int i = 2; i < length; ++i) {
      if (p[i] < 0x80 || p[i] > 0xBF) return false;
    }
    p += length;
  }
  return true;
}

// Only the escapes are checked: raw bytes that a strict query grammar forbids (spaces,
// '|', UTF-8 from `curl -d`) are accepted as browsers and most frameworks do.
std::optional<std::string> decode_component(std::string_view text) {
  auto encoded = boost::urls::make_pct_string_view(text);
  if (!encoded) return std::nullopt;
  boost::urls::encoding_opts options;
  options.space_as_plus = true;
  std::string decoded;
  encoded->decode(options, boost::urls::string_token::assign_to(decoded));
  if (!is_valid_utf8(decoded)) return std::nullopt;
  return decoded;
}

}  // namespace

ParsedForm parse_form(std::string_view text) {
  ParsedForm parsed;
  auto& fields = parsed.fields;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2"
    if (fields.size() == kMaxFormFields) {
      fields.clear();
      parsed.error = FormError::kTooManyFields;
      return parsed;
    }
    const auto eq = pair.find('=');
    auto name = decode_component(pair.substr(0, eq));
    auto value = eq == std::string_view::npos ? std::optional<std::string>{std::string{}}
                                              : decode_component(pair.substr(eq + 1));
    if (!name || !value) {
      fields.clear();
      parsed.error = FormError::kMalformed;
      return parsed;
    }
    fields.emplace_back(std::move(*name), std::move(*value));
  }
  return parsed;
}

std::string describe(FormError error) {
  switch (error) {
    case FormError::kNone: return "it is fine";
    case FormError::kMalformed: return "it has a bad %XX escape or is not UTF-8 text";
    case FormError::kTooManyFields:
      return "it has more than " + std::to_string(kMaxFormFields) + " fields";
  }
  return "it could not be decoded";
}

std::optional<Fields> parse_urlencoded(std::string_view text) {
  auto parsed = parse_form(text);
  if (!parsed.ok()) return std::nullopt;
  return std::move(parsed.fields);
}

std::optional<std::string> field(const Fields& fields, std::string_view name) {
  for (const auto& [key, value] : fields) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string encode_query_value(std::string_view value) {
  return boost::urls::encode(value, boost::urls::unreserved_chars);
}

}  // namespace sillypaste::http
