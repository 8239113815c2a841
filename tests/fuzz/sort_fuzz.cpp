// core::parse_sort: listing sort keys from users ("-hits").
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/paste_query.hpp"

using namespace sillypaste;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto sort = core::parse_sort(text)) {
    // Only whitelisted names (at most "-language", "-timestamp": 10 bytes) are accepted.
    if (size > 10 || static_cast<int>(sort->field) < 0 ||
        static_cast<int>(sort->field) > static_cast<int>(core::SortField::kAuthor)) {
      std::abort();
    }
  }
  return 0;
}
