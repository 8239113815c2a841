#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace sillypaste::web {

// The language table, read once at startup (it changes only through `prepare`), with the
// <option> list of the paste form rendered once.
class LanguageCatalog {
 public:
  explicit LanguageCatalog(std::vector<core::Language> languages);

  [[nodiscard]] bool contains(core::Id id) const { return names_.contains(id); }
  [[nodiscard]] std::string name(core::Id id) const;
  // Case-insensitive name, or a file extension ("py").
  [[nodiscard]] std::optional<core::Id> find(std::string_view name_or_extension) const;
  // <option> elements, the one with `selected` marked.
  [[nodiscard]] std::string options_html(std::optional<core::Id> selected) const;

 private:
  std::map<core::Id, std::string> names_;
  std::map<std::string, core::Id, std::less<>> by_lower_name_;
  std::string options_html_;
};

}  // namespace sillypaste::web
