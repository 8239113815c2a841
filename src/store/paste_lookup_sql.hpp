#pragma once

#include <string>
#include <string_view>

#include "store/soci_store_detail.hpp"

namespace sillypaste::store {

// The SELECT of one paste with its bodies, unless expired: the text shared by the lookups
// prepared once per connection and the one-off ones. `condition` may use :key; the
// statement binds :now as well.
[[nodiscard]] inline std::string paste_lookup_sql(std::string_view condition) {
  return "SELECT " + std::string(kPasteColumns) + std::string(kPasteBodyColumns) +
         std::string(kPasteJoins) + " WHERE " + std::string(condition) + " AND " +
         std::string(kNotExpired);
}

}  // namespace sillypaste::store
