#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sillypaste::render {

// Names of every language the highlighter knows (non-hidden KSyntaxHighlighting
// definitions, sorted). The language table is synced from this list plus the
// renderable languages "markdown" and "org-mode".
[[nodiscard]] std::vector<std::string> highlighter_languages();

// Highlights `body` as `language` (a name from highlighter_languages(), or "markdown",
// matched case-insensitively; unknown or empty names give plain text). Every input
// character is HTML-escaped. The result is one element per line:
//   <span class="line" id="L1"><a class="ln" href="#L1">1</a><code>...</code></span>\n
// with tokens wrapped in <span class="hl-STYLE"> (STYLE one of the KSyntaxHighlighting
// default styles in lower case, e.g. hl-keyword, hl-string, hl-comment).
// Thread-safe: each thread keeps its own highlighter state.
[[nodiscard]] std::string highlight_html(std::string_view body, std::string_view language);

}  // namespace sillypaste::render
