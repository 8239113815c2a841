// render::markdown_to_html, checking that the HTML never holds something that runs
// (tests/fuzz/html_safety.hpp says what counts).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "html_safety.hpp"
#include "render/markdown.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;  // cmark is linear; big inputs only slow the search
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz::check_html_is_inert("markdown_fuzz", sillypaste::render::markdown_to_html(text));
  return 0;
}
