#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sillypaste::render {

// Guesses a language name (as in highlighter_languages(), or "markdown" / "org-mode")
// from a file extension in the title ("main.py"), else from a shebang ("#!/usr/bin/env
// python3") or an Emacs/Vim modeline in the body. nullopt when nothing fits.
[[nodiscard]] std::optional<std::string> guess_language(std::string_view title,
                                                        std::string_view body);

// A language name for a file extension ("py" -> "Python", "md" -> "markdown"), case-insensitive.
[[nodiscard]] std::optional<std::string> language_for_extension(std::string_view extension);

}  // namespace sillypaste::render
