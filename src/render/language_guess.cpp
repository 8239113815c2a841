#include "render/language_guess.hpp"

#include <QString>
#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "render/syntax_repository.hpp"

namespace sillypaste::render {

namespace {

using Entry = std::pair<std::string_view, std::string_view>;

// Names are exact KSyntaxHighlighting definition names (a unit test checks each), or
// our own "markdown" / "org-mode". The table settles extensions KSyntaxHighlighting
// finds ambiguous (.h, .pl, .m) and is faster than asking the repository.
constexpr auto kExtensions = std::to_array<Entry>({
    {"adb", "Ada"},
    {"ads", "Ada"},
    {"asm", "Intel x86 (NASM)"},
    {"awk", "AWK"},
    {"bash", "Bash"},
    {"bat", "MS-DOS Batch"},
    {"c", "C"},
    {"c++", "C++"},
    {"cc", "C++"},
    {"cfg", "INI Files"},
    {"cjs", "JavaScript"},
    {"clj", "Clojure"},
    {"cljs", "Clojure"},
    {"cmake", "CMake"},
    {"cmd", "MS-DOS Batch"},
    {"coffee", "CoffeeScript"},
    {"cpp", "C++"},
    {"cr", "Crystal"},
    {"cs", "C#"},
    {"css", "CSS"},
    {"csv", "CSV"},
    {"cxx", "C++"},
    {"d", "D"},
    {"dart", "Dart"},
    {"diff", "Diff"},
    {"dockerfile", "Dockerfile"},
    {"el", "Common Lisp"},
    {"elm", "Elm"},
    {"erl", "Erlang"},
    {"ex", "Elixir"},
    {"exs", "Elixir"},
    {"f90", "Fortran (Free Format)"},
    {"fish", "Fish"},
    {"fs", "FSharp"},
    {"fsx", "FSharp"},
    {"go", "Go"},
    {"gradle", "Groovy"},
    {"graphql", "GraphQL"},
    {"groovy", "Groovy"},
    {"h", "C"},
    {"h++", "C++"},
    {"hh", "C++"},
    {"hpp", "C++"},
    {"hrl", "Erlang"},
    {"hs", "Haskell"},
    {"htm", "HTML"},
    {"html", "HTML"},
    {"hxx", "C++"},
    {"ini", "INI Files"},
    {"ipynb", "JSON"},
    {"java", "Java"},
    {"jl", "Julia"},
    {"js", "JavaScript"},
    {"json", "JSON"},
    {"jsx", "JavaScript React (JSX)"},
    {"ksh", "Bash"},
    {"kt", "Kotlin"},
    {"kts", "Kotlin"},
    {"less", "LESSCSS"},
    {"lisp", "Common Lisp"},
    {"lua", "Lua"},
    {"m", "Objective-C"},
    {"markdown", "markdown"},
    {"md", "markdown"},
    {"mjs", "JavaScript"},
    {"mk", "Makefile"},
    {"mkd", "markdown"},
    {"ml", "Objective Caml"},
    {"mli", "Objective Caml"},
    {"mm", "Objective-C++"},
    {"nim", "Nim"},
    {"nix", "Nix"},
    {"org", "org-mode"},
    {"pas", "Pascal"},
    {"patch", "Diff"},
    {"php", "PHP (HTML)"},
    {"pl", "Perl"},
    {"pm", "Perl"},
    {"properties", "Java Properties"},
    {"proto", "Protobuf"},
    {"ps1", "PowerShell"},
    {"py", "Python"},
    {"pyi", "Python"},
    {"pyw", "Python"},
    {"qml", "QML"},
    {"r", "R Script"},
    {"rake", "Ruby"},
    {"rb", "Ruby"},
    {"rkt", "Racket"},
    {"rs", "Rust"},
    {"rst", "reStructuredText"},
    {"s", "GNU Assembler"},
    {"sass", "SASS"},
    {"scala", "Scala"},
    {"scm", "Scheme"},
    {"scss", "SCSS"},
    {"sh", "Bash"},
    {"sol", "Solidity"},
    {"sql", "SQL"},
    {"svg", "XML"},
    {"swift", "Swift"},
    {"tcl", "Tcl/Tk"},
    {"tex", "LaTeX"},
    {"tf", "Terraform"},
    {"toml", "TOML"},
    {"ts", "TypeScript"},
    {"tsv", "TSV"},
    {"tsx", "TypeScript React (TSX)"},
    {"vala", "Vala"},
    {"vhd", "VHDL"},
    {"vhdl", "VHDL"},
    {"xml", "XML"},
    {"xsl", "xslt"},
    {"xslt", "xslt"},
    {"yaml", "YAML"},
    {"yml", "YAML"},
    {"zig", "Zig"},
    {"zsh", "Zsh"},
});

// Interpreter names after a shebang (version suffixes removed) and editor mode names.
constexpr auto kInterpreters = std::to_array<Entry>({
    {"ash", "Bash"},
    {"awk", "AWK"},
    {"bash", "Bash"},
    {"bun", "JavaScript"},
    {"c", "C"},
    {"c++", "C++"},
    {"cpp", "C++"},
    {"csh", "Tcsh"},
    {"csharp", "C#"},
    {"dash", "Bash"},
    {"deno", "TypeScript"},
    {"elixir", "Elixir"},
    {"emacs-lisp", "Common Lisp"},
    {"escript", "Erlang"},
    {"fish", "Fish"},
    {"gawk", "AWK"},
    {"groovy", "Groovy"},
    {"guile", "Scheme"},
    {"javascript", "JavaScript"},
    {"js", "JavaScript"},
    {"julia", "Julia"},
    {"ksh", "Bash"},
    {"latex", "LaTeX"},
    {"lisp", "Common Lisp"},
    {"lua", "Lua"},
    {"luajit", "Lua"},
    {"make", "Makefile"},
    {"markdown", "markdown"},
    {"mawk", "AWK"},
    {"node", "JavaScript"},
    {"nodejs", "JavaScript"},
    {"org", "org-mode"},
    {"perl", "Perl"},
    {"php", "PHP (HTML)"},
    {"pwsh", "PowerShell"},
    {"pypy", "Python"},
    {"python", "Python"},
    {"racket", "Racket"},
    {"rscript", "R Script"},
    {"ruby", "Ruby"},
    {"runghc", "Haskell"},
    {"runhaskell", "Haskell"},
    {"sbcl", "Common Lisp"},
    {"sed", "sed"},
    {"sh", "Bash"},
    {"tclsh", "Tcl/Tk"},
    {"tcsh", "Tcsh"},
    {"tex", "LaTeX"},
    {"ts-node", "TypeScript"},
    {"wish", "Tcl/Tk"},
    {"zsh", "Zsh"},
});

// Modelines are looked for in this many lines at each end of the body, and only in
// this many bytes of each line.
constexpr std::size_t kModelineLines = 5;
constexpr std::size_t kMaxModelineLength = 1000;

std::optional<std::string> find_in(const auto& table, std::string_view key) {
  const auto found =
      std::lower_bound(table.begin(), table.end(), key,
                       [](const Entry& e, std::string_view k) { return e.first < k; });
  if (found == table.end() || found->first != key) return std::nullopt;
  return std::string(found->second);
}

constexpr bool is_sorted_table(const auto& table) {
  for (std::size_t i = 1; i < table.size(); ++i) {
    if (!(table[i - 1].first < table[i].first)) return false;
  }
  return true;
}
static_assert(is_sorted_table(kExtensions), "kExtensions must be sorted for lower_bound");
static_assert(is_sorted_table(kInterpreters), "kInterpreters must be sorted for lower_bound");

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '-' || c == '_' || c == '#';
}

std::optional<std::string> language_for_file_name_uncached(std::string_view file_name) {
  const QString name =
      QString::fromUtf8(file_name.data(), static_cast<qsizetype>(file_name.size()));
  std::string language =
      detail::language_name(detail::syntax_repository().definitionForFileName(name));
  if (language.empty()) return std::nullopt;
  return language;
}

// definitionForFileName matches the name against every definition's patterns: about
// 16% of a create's CPU when a title takes this path ("untitled", "notes.txt"). Its
// answer depends only on the name and the repository, which never changes, so each
// thread keeps the answers for the names it has seen (bounded: forgotten when full).
std::optional<std::string> language_for_file_name(std::string_view file_name) {
  constexpr std::size_t kMaxRemembered = 256;  // titles are at most 100 characters
  thread_local std::unordered_map<std::string, std::optional<std::string>> remembered;
  std::string key(file_name);
  if (const auto found = remembered.find(key); found != remembered.end()) {
    return found->second;
  }
  std::optional<std::string> language = language_for_file_name_uncached(file_name);
  if (remembered.size() >= kMaxRemembered) {
    remembered.clear();
  }
  remembered.emplace(std::move(key), language);
  return language;
}

// "main.py" -> "py"; nothing for titles whose last dot is not followed by a plausible
// extension ("notes v1.2", "Hello. World").
std::optional<std::string_view> title_extension(std::string_view title) {
  const std::size_t dot = title.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view extension = title.substr(dot + 1);
  if (extension.empty() || extension.size() > 16) return std::nullopt;
  if (!std::all_of(extension.begin(), extension.end(), is_name_char)) return std::nullopt;
  if (std::all_of(extension.begin(), extension.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return extension;
}

std::optional<std::string> language_for_mode(std::string_view mode) {
  const std::string lower = detail::ascii_lower(trim(mode));
  if (lower.empty()) return std::nullopt;
  if (auto language = find_in(kInterpreters, lower)) return language;
  if (auto language = find_in(kExtensions, lower)) return language;
  std::string language = detail::language_name(detail::find_definition(lower));
  if (language.empty()) return std::nullopt;
  return language;
}

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

std::optional<std::string> language_for_shebang(std::string_view first_line) {
  if (!first_line.starts_with("#!")) return std::nullopt;
  const auto words = split_words(first_line.substr(2, kMaxModelineLength));
  if (words.empty()) return std::nullopt;
  auto base_name = [](std::string_view path) { return path.substr(path.rfind('/') + 1); };
  std::string_view interpreter = base_name(words[0]);
  if (interpreter == "env") {
    interpreter = {};
    for (std::size_t i = 1; i < words.size(); ++i) {
      if (words[i].starts_with('-') || words[i].find('=') != std::string_view::npos) continue;
      interpreter = base_name(words[i]);
      break;
    }
  }
  // python3.11 -> python, perl5 -> perl
  while (!interpreter.empty() &&
         ((interpreter.back() >= '0' && interpreter.back() <= '9') || interpreter.back() == '.')) {
    interpreter.remove_suffix(1);
  }
  if (interpreter.empty()) return std::nullopt;
  return find_in(kInterpreters, detail::ascii_lower(interpreter));
}

// "-*- mode: python; coding: utf-8 -*-" or "-*- python -*-"
std::optional<std::string> language_for_emacs_modeline(std::string_view line) {
  const std::size_t open = line.find("-*-");
  if (open == std::string_view::npos) return std::nullopt;
  const std::size_t close = line.find("-*-", open + 3);
  if (close == std::string_view::npos) return std::nullopt;
  const std::string_view inside = line.substr(open + 3, close - open - 3);
  if (inside.find(':') == std::string_view::npos) return language_for_mode(inside);
  std::size_t start = 0;
  while (start <= inside.size()) {
    const std::size_t end = std::min(inside.find(';', start), inside.size());
    const std::string_view setting = inside.substr(start, end - start);
    const std::size_t colon = setting.find(':');
    if (colon != std::string_view::npos &&
        detail::ascii_lower(trim(setting.substr(0, colon))) == "mode") {
      return language_for_mode(setting.substr(colon + 1));
    }
    start = end + 1;
  }
  return std::nullopt;
}

// "vim: set ft=python:", "vim: ft=python", "vi: filetype=python", "ex: syntax=python"
std::optional<std::string> language_for_vim_modeline(std::string_view line) {
  std::size_t marker_end = std::string_view::npos;
  for (const std::string_view marker : {"vim:", "vi:", "ex:"}) {
    std::size_t at = line.find(marker);
    while (at != std::string_view::npos && at > 0 && !is_space(line[at - 1])) {
      at = line.find(marker, at + 1);
    }
    if (at != std::string_view::npos) {
      marker_end = std::min(marker_end, at + marker.size());
    }
  }
  if (marker_end == std::string_view::npos) return std::nullopt;
  const std::string_view settings = line.substr(marker_end);
  for (const std::string_view key : {"filetype=", "ft=", "syntax=", "syn="}) {
    std::size_t at = settings.find(key);
    while (at != std::string_view::npos && at > 0 && is_name_char(settings[at - 1])) {
      at = settings.find(key, at + 1);
    }
    if (at == std::string_view::npos) continue;
    std::size_t end = at + key.size();
    while (end < settings.size() && is_name_char(settings[end])) ++end;
    return language_for_mode(settings.substr(at + key.size(), end - at - key.size()));
  }
  return std::nullopt;
}

std::vector<std::string_view> modeline_candidate_lines(std::string_view body) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < body.size()) {
    const std::size_t end = std::min(body.find('\n', start), body.size());
    lines.push_back(body.substr(start, std::min(end - start, kMaxModelineLength)));
    start = end + 1;
  }
  if (lines.size() <= 2 * kModelineLines) return lines;
  std::vector<std::string_view> ends(lines.begin(), lines.begin() + kModelineLines);
  ends.insert(ends.end(), lines.end() - kModelineLines, lines.end());
  return ends;
}

}  // namespace

std::optional<std::string> language_for_extension(std::string_view extension) {
  if (extension.starts_with('.')) extension.remove_prefix(1);
  if (extension.empty()) return std::nullopt;
  const std::string lower = detail::ascii_lower(extension);
  if (auto language = find_in(kExtensions, lower)) return language;
  return language_for_file_name("file." + lower);
}

std::optional<std::string> guess_language(std::string_view title, std::string_view body) {
  title = trim(title);
  const auto extension = title_extension(title);
  if (extension) {
    if (auto language = find_in(kExtensions, detail::ascii_lower(*extension))) return language;
  }
  if (!title.empty() && std::none_of(title.begin(), title.end(), is_space)) {
    // Whole file names: Makefile, Dockerfile, CMakeLists.txt, meson.build, ...
    if (auto language = language_for_file_name(title)) return language;
  }
  if (extension) {
    if (auto language = language_for_extension(*extension)) return language;
  }

  const std::string_view first_line = body.substr(0, std::min(body.find('\n'), body.size()));
  if (auto language = language_for_shebang(first_line)) return language;
  for (const std::string_view line : modeline_candidate_lines(body)) {
    if (auto language = language_for_emacs_modeline(line)) return language;
    if (auto language = language_for_vim_modeline(line)) return language;
  }
  return std::nullopt;
}

}  // namespace sillypaste::render
