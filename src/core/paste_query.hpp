#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/model.hpp"

namespace sillypaste::core {

// The paste fields a listing may be sorted by. Sort keys arrive from users, so they
// are parsed into this closed set and never reach SQL as text.
enum class SortField { kId, kTitle, kTimestamp, kExpiry, kHits, kSize, kLanguage, kAuthor };

struct Sort {
  SortField field = SortField::kTimestamp;
  bool descending = true;
};

// "hits", "-timestamp", ...; nullopt for anything not in the whitelist.
[[nodiscard]] std::optional<Sort> parse_sort(std::string_view key);

// Who is looking: decides which private pastes a listing may contain.
struct Viewer {
  std::optional<Id> user_id;
  bool is_staff = false;
};

struct PasteQuery {
  std::string search;              // case-insensitive match on title, body or author name
  std::optional<Id> author_id;     // only this author's pastes
  std::optional<Id> language_id;
  Viewer viewer;                   // private pastes only for their owner and staff
  Sort sort;
  int limit = 30;
  int offset = 0;
  Micros now = 0;                  // expired pastes are never listed
  bool with_bodies = false;        // also load body and HTML (the API lists whole objects)
  bool with_total = true;          // count every match (a page of the newest needs no count)
};

struct PastePage {
  std::vector<PasteView> items;  // bodies and HTML left empty unless with_bodies
  std::int64_t total = 0;         // 0 unless the query asked with_total
};

}  // namespace sillypaste::core
