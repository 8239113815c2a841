// core::parse_iso8601 and core::parse_date_time. Input: the whole text for
// parse_iso8601; split at the first '\n' into date and time for parse_date_time.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/time.hpp"

using namespace sillypaste;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto t = core::parse_iso8601(text)) {
    // What we print, we read back as the same instant.
    const auto again = core::parse_iso8601(core::format_iso8601(*t));
    if (!again || *again != *t) std::abort();
    (void)core::format_human(*t);
  }
  const auto nl = text.find('\n');
  const std::string_view date = text.substr(0, nl);
  const std::string_view time = nl == std::string_view::npos ? "" : text.substr(nl + 1);
  if (const auto t = core::parse_date_time(date, time)) {
    (void)core::format_iso8601(*t);
  }
  return 0;
}
