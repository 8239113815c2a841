#pragma once

#include <string>
#include <string_view>

namespace sillypaste::store {

// Simple Unicode lower-casing of UTF-8 text for case-insensitive keys and searches:
// ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic capitals. Other bytes (and
// malformed UTF-8) pass through unchanged. Usernames are stored with this key, so its
// mapping must only ever grow (a change would let two stored keys collide).
[[nodiscard]] std::string fold_case(std::string_view text);

}  // namespace sillypaste::store
