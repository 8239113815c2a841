#include "core/paste_query.hpp"

#include <array>
#include <utility>

namespace sillypaste::core {

std::optional<Sort> parse_sort(std::string_view key) {
  static constexpr std::array<std::pair<std::string_view, SortField>, 8> kFields{{
      {"id", SortField::kId},
      {"title", SortField::kTitle},
      {"timestamp", SortField::kTimestamp},
      {"expiry", SortField::kExpiry},
      {"hits", SortField::kHits},
      {"size", SortField::kSize},
      {"language", SortField::kLanguage},
      {"author", SortField::kAuthor},
  }};
  bool descending = false;
  if (!key.empty() && key.front() == '-') {
    descending = true;
    key.remove_prefix(1);
  }
  for (const auto& [name, field] : kFields) {
    if (name == key) {
      return Sort{field, descending};
    }
  }
  return std::nullopt;
}

}  // namespace sillypaste::core
