// http::parse_urlencoded and parse_form (form bodies and query strings, at most
// kMaxFormFields pairs) and its encoder.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/form.hpp"

using namespace sillypaste;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto fields = http::parse_urlencoded(text);
  const auto parsed = http::parse_form(text);
  if (parsed.ok() != fields.has_value() || parsed.fields.size() > http::kMaxFormFields) {
    std::abort();
  }
  if (fields) {
    for (const auto& [name, value] : *fields) {
      // Encoding a decoded value and decoding it again gives the value back.
      const auto again = http::parse_urlencoded("v=" + http::encode_query_value(value));
      if (!again || again->size() != 1 || (*again)[0].second != value) std::abort();
      (void)http::field(*fields, name);
    }
  }
  return 0;
}
