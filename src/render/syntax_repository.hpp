#pragma once

// Internal to render/: the per-thread KSyntaxHighlighting repository shared by the
// highlighter and the language guesser. Not for use outside this folder (Qt types).

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <string>
#include <string_view>

namespace sillypaste::render::detail {

// KSyntaxHighlighting::Repository is not thread-safe; each thread loads its own.
[[nodiscard]] KSyntaxHighlighting::Repository& syntax_repository();

// The non-hidden definition whose name equals `name` case-insensitively, or an invalid
// Definition. "markdown" finds the "Markdown" definition; "None" finds nothing.
[[nodiscard]] KSyntaxHighlighting::Definition find_definition(std::string_view name);

// Our language name for a definition: its name, except "markdown" for "Markdown".
// Empty for invalid, hidden and "None" definitions.
[[nodiscard]] std::string language_name(const KSyntaxHighlighting::Definition& definition);

[[nodiscard]] std::string ascii_lower(std::string_view text);

}  // namespace sillypaste::render::detail
