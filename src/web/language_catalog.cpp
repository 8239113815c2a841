#include "web/language_catalog.hpp"

#include "core/text.hpp"
#include "render/html_escape.hpp"
#include "render/language_guess.hpp"

namespace sillypaste::web {

LanguageCatalog::LanguageCatalog(std::vector<core::Language> languages) {
  for (const auto& language : languages) {
    names_.emplace(language.id, language.name);
    by_lower_name_.emplace(core::ascii_lower(language.name), language.id);
    options_html_ += "<option value=\"" + std::to_string(language.id) + "\">" +
                     render::escape_html(language.name) + "</option>\n";
  }
}

std::string LanguageCatalog::name(core::Id id) const {
  const auto it = names_.find(id);
  return it == names_.end() ? std::string() : it->second;
}

std::optional<core::Id> LanguageCatalog::find(std::string_view name_or_extension) const {
  const auto lower = core::ascii_lower(name_or_extension);
  if (const auto it = by_lower_name_.find(lower); it != by_lower_name_.end()) {
    return it->second;
  }
  if (const auto name = render::language_for_extension(lower)) {
    if (const auto it = by_lower_name_.find(core::ascii_lower(*name));
        it != by_lower_name_.end()) {
      return it->second;
    }
  }
  return std::nullopt;
}

std::string LanguageCatalog::options_html(std::optional<core::Id> selected) const {
  if (!selected) {
    return options_html_;
  }
  std::string html = options_html_;
  const std::string needle = "<option value=\"" + std::to_string(*selected) + "\">";
  if (const auto at = html.find(needle); at != std::string::npos) {
    html.insert(at + needle.size() - 1, " selected");
  }
  return html;
}

}  // namespace sillypaste::web
