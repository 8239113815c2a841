// http::parse_target: the request target ("/a%20b/?q=x", absolute-form).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/target.hpp"

using namespace sillypaste;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto target = http::parse_target(text)) {
    // Documented: a decoded path never holds a NUL byte.
    if (target->path.find('\0') != std::string::npos) std::abort();
  }
  return 0;
}
