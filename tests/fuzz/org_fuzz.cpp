// render::org_to_html (pandoc in a subprocess with our Lua filter), checking that the
// HTML never holds something that runs (tests/fuzz/html_safety.hpp says what counts).
// Each input costs a pandoc run, so this target manages tens of inputs a second.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "html_safety.hpp"
#include "render/org.hpp"

namespace {

// Well under run-fuzz's -timeout=10, so a slow pandoc is killed (and its fallback, the
// escaped text, checked) instead of being reported as a hang.
constexpr std::chrono::milliseconds kPandocTimeout{4000};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 16 * 1024) return 0;  // pandoc's time grows with the input; keep runs short
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz::check_html_is_inert("org_fuzz", sillypaste::render::org_to_html(text, kPandocTimeout));
  return 0;
}
