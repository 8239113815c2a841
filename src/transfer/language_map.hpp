#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sillypaste::transfer {

// Our language name for a Pygments lexer name from the Django app: a case-insensitive
// match among `ours` (the highlighter's names plus markdown and org-mode), else an alias
// for names that differ ("Python 2.x" → "Python", "OCaml" → "Objective Caml"), else
// nullopt (the paste keeps the Django name as a plain-text language).
[[nodiscard]] std::optional<std::string> our_language_for(std::string_view pygments_name,
                                                          const std::vector<std::string>& ours);

// The highlighter's names plus "markdown" and "org-mode".
[[nodiscard]] std::vector<std::string> our_language_names();

}  // namespace sillypaste::transfer
