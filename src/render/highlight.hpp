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
// character is HTML-escaped. The result is what a paste stores, the code of each line
// joined by "\n" (no newline after the last; a body ending in "\n" has no extra empty
// last line; an empty body is one empty line; a "\r" before "\n" is dropped), with tokens
// wrapped in <span class="CLASS"> (CLASS the short name of a KSyntaxHighlighting default
// style: kw keyword, st string, co comment, dv decimal, ...). No element spans two lines.
// numbered_lines_html() makes the page's markup of it.
// Invalid UTF-8 becomes U+FFFD. Lines over 10,000 characters, and all lines once 3 s
// have been spent on one body, are left unhighlighted (some definitions are quadratic).
// Thread-safe: each thread keeps its own highlighter state.
[[nodiscard]] std::string highlight_html(std::string_view body, std::string_view language);

}  // namespace sillypaste::render
