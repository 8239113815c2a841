// render::markdown_to_html, checking that the HTML never holds something that runs:
// a <script> element, an on...= event-handler attribute inside a tag, or a
// javascript:/vbscript: URL (or a data: URL other than a raster image) in href or src.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "render/markdown.hpp"

using namespace sillypaste;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

[[noreturn]] void fail(const char* what, std::string_view html) {
  std::fprintf(stderr, "markdown_fuzz: %s in output:\n%.*s\n", what,
               static_cast<int>(html.size()), html.data());
  std::abort();
}

// Decodes the HTML character references a browser would in an attribute value (the ones
// cmark emits: &amp; &quot; &lt; &gt; &#NN; &#xNN;) and drops the whitespace and control
// characters browsers skip in a URL scheme.
std::string url_scheme_text(std::string_view value) {
  std::string out;
  for (std::size_t i = 0; i < value.size() && out.size() < 32; ++i) {
    char c = value[i];
    if (c == '&') {
      const auto semi = value.find(';', i);
      if (semi != std::string_view::npos) {
        const std::string_view ref = value.substr(i + 1, semi - i - 1);
        long code = -1;
        if (ref == "amp") code = '&';
        else if (ref == "quot") code = '"';
        else if (ref == "lt") code = '<';
        else if (ref == "gt") code = '>';
        else if (ref.size() > 1 && ref[0] == '#')
          code = (ref[1] == 'x' || ref[1] == 'X')
                     ? std::strtol(std::string(ref.substr(2)).c_str(), nullptr, 16)
                     : std::strtol(std::string(ref.substr(1)).c_str(), nullptr, 10);
        if (code >= 0 && code < 128) {
          c = static_cast<char>(code);
          i = semi;
        }
      }
    }
    if (static_cast<unsigned char>(c) <= ' ') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

void check_html(const std::string& html) {
  const std::string low = lower(html);
  if (low.find("<script") != std::string::npos) fail("<script", html);
  // Walk the tags: text between '<' and the next '>' that starts a tag name.
  for (std::size_t lt = low.find('<'); lt != std::string::npos; lt = low.find('<', lt + 1)) {
    if (lt + 1 >= low.size() || !(std::isalpha(static_cast<unsigned char>(low[lt + 1])))) {
      continue;
    }
    const std::size_t gt = low.find('>', lt);
    const std::string tag = low.substr(lt, gt == std::string::npos ? std::string::npos : gt - lt);
    // Attributes: after whitespace or '/', a name; then '=' and a value.
    std::size_t i = 1;
    while (i < tag.size() && !std::isspace(static_cast<unsigned char>(tag[i])) && tag[i] != '/')
      ++i;
    while (i < tag.size()) {
      while (i < tag.size() && (std::isspace(static_cast<unsigned char>(tag[i])) || tag[i] == '/'))
        ++i;
      const std::size_t name_start = i;
      while (i < tag.size() && tag[i] != '=' && !std::isspace(static_cast<unsigned char>(tag[i])) &&
             tag[i] != '/')
        ++i;
      const std::string name = tag.substr(name_start, i - name_start);
      std::string value;
      if (i < tag.size() && tag[i] == '=') {
        ++i;
        if (i < tag.size() && (tag[i] == '"' || tag[i] == '\'')) {
          const char quote = tag[i++];
          const std::size_t end = tag.find(quote, i);
          value = tag.substr(i, end == std::string::npos ? std::string::npos : end - i);
          i = end == std::string::npos ? tag.size() : end + 1;
        } else {
          const std::size_t start = i;
          while (i < tag.size() && !std::isspace(static_cast<unsigned char>(tag[i]))) ++i;
          value = tag.substr(start, i - start);
        }
      }
      if (name.size() > 2 && name.starts_with("on")) fail("event-handler attribute", html);
      if (name == "href" || name == "src" || name == "action" || name == "formaction") {
        const std::string scheme = url_scheme_text(value);
        if (scheme.starts_with("javascript:") || scheme.starts_with("vbscript:")) {
          fail("script URL", html);
        }
        // cmark keeps data: images (png, gif, jpeg, webp: none runs script, unlike svg).
        if (scheme.starts_with("data:") && !scheme.starts_with("data:image/png") &&
            !scheme.starts_with("data:image/gif") && !scheme.starts_with("data:image/jpeg") &&
            !scheme.starts_with("data:image/webp")) {
          fail("data: URL", html);
        }
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;  // cmark is linear; big inputs only slow the search
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_html(render::markdown_to_html(text));
  return 0;
}
