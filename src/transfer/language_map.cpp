#include "transfer/language_map.hpp"

#include <array>
#include <utility>

#include "render/highlight.hpp"
#include "store/casefold.hpp"

namespace sillypaste::transfer {
namespace {

// Pygments names (lower case) whose KSyntaxHighlighting name differs.
constexpr std::array<std::pair<std::string_view, std::string_view>, 52> kAliases{{
    {"python 2.x", "Python"},
    {"python 3", "Python"},
    {"python3", "Python"},
    {"python console session", "Python"},
    {"cython", "Python"},
    {"bash session", "Bash"},
    {"shell", "Bash"},
    {"tcsh session", "Tcsh"},
    {"powershell session", "PowerShell"},
    {"ruby irb session", "Ruby"},
    {"rhtml", "Ruby/Rails/RHTML"},
    {"erb", "Ruby/Rails/RHTML"},
    {"julia console", "Julia"},
    {"elixir iex session", "Elixir"},
    {"erlang erl session", "Erlang"},
    {"fortran", "Fortran (Free Format)"},
    {"fortranfixed", "Fortran (Fixed Format)"},
    {"ocaml", "Objective Caml"},
    {"tcl", "Tcl/Tk"},
    {"php", "PHP (HTML)"},
    {"html+php", "PHP (HTML)"},
    {"tex", "LaTeX"},
    {"ini", "INI Files"},
    {"delphi", "Pascal"},
    {"component pascal", "Component-Pascal"},
    {"f#", "FSharp"},
    {"standard ml", "SML"},
    {"graphviz", "dot"},
    {"docker", "Dockerfile"},
    {"batchfile", "MS-DOS Batch"},
    {"protocol buffer", "Protobuf"},
    {"properties", "Java Properties"},
    {"debian control file", "Debian Control"},
    {"gettext catalog", "GNU Gettext"},
    {"mysql", "SQL (MySQL)"},
    {"postgresql sql dialect", "SQL (PostgreSQL)"},
    {"pl/pgsql", "SQL (PostgreSQL)"},
    {"transact-sql", "SQL"},
    {"apacheconf", "Apache Configuration"},
    {"perl6", "Raku"},
    {"e-mail", "Email"},
    {"gherkin", "Cucumber Gherkin feature"},
    {"gas", "GNU Assembler"},
    {"nasm", "Intel x86 (NASM)"},
    {"mips", "MIPS Assembler"},
    {"groff", "Roff"},
    {"rpmspec", "RPM Spec"},
    {"actionscript", "ActionScript 2.0"},
    {"handlebars", "Mustache/Handlebars (HTML)"},
    {"django/jinja", "Django HTML Template"},
    {"html+django/jinja", "Django HTML Template"},
    {"base makefile", "Makefile"},
}};

[[nodiscard]] std::optional<std::string> find_folded(std::string_view name,
                                                     const std::vector<std::string>& ours) {
  const std::string folded = store::fold_case(name);
  for (const auto& candidate : ours) {
    if (store::fold_case(candidate) == folded) {
      return candidate;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> our_language_for(std::string_view pygments_name,
                                            const std::vector<std::string>& ours) {
  if (auto direct = find_folded(pygments_name, ours)) {
    return direct;
  }
  const std::string folded = store::fold_case(pygments_name);
  for (const auto& [from, to] : kAliases) {
    if (from == folded) {
      return find_folded(to, ours);
    }
  }
  return std::nullopt;
}

std::vector<std::string> our_language_names() {
  auto names = render::highlighter_languages();
  names.emplace_back("markdown");
  names.emplace_back("org-mode");
  return names;
}

}  // namespace sillypaste::transfer
