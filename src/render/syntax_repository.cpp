#include "render/syntax_repository.hpp"

#include <QString>
#include <QVector>
#include <unordered_map>

namespace sillypaste::render::detail {

namespace {

using DefinitionsByLowerName = std::unordered_map<std::string, KSyntaxHighlighting::Definition>;

const DefinitionsByLowerName& definitions_by_lower_name() {
  thread_local const DefinitionsByLowerName definitions = [] {
    DefinitionsByLowerName by_name;
    for (const auto& definition : syntax_repository().definitions()) {
      if (!language_name(definition).empty()) {
        by_name.emplace(ascii_lower(definition.name().toStdString()), definition);
      }
    }
    return by_name;
  }();
  return definitions;
}

}  // namespace

KSyntaxHighlighting::Repository& syntax_repository() {
  thread_local KSyntaxHighlighting::Repository repository;
  return repository;
}

KSyntaxHighlighting::Definition find_definition(std::string_view name) {
  const auto& definitions = definitions_by_lower_name();
  const auto found = definitions.find(ascii_lower(name));
  return found == definitions.end() ? KSyntaxHighlighting::Definition() : found->second;
}

std::string language_name(const KSyntaxHighlighting::Definition& definition) {
  if (!definition.isValid() || definition.isHidden()) return {};
  std::string name = definition.name().toStdString();
  if (name == "None") return {};
  if (name == "Markdown") return "markdown";
  return name;
}

std::string ascii_lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace sillypaste::render::detail
