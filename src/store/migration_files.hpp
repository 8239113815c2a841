#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sillypaste::store {

struct Migration {
  int version = 0;   // from the file name: 0001_initial.sql is version 1
  std::string name;  // "sqlite/0001_initial.sql"
  std::string_view sql;
};

// The embedded migrations of one dialect, by version. Throws StoreError on a file name
// without a leading number or on two files with the same number.
[[nodiscard]] std::vector<Migration> migrations_for(std::string_view dialect);

// Splits a migration into statements at ';' outside quotes, comments and the BEGIN ... END
// body of a CREATE TRIGGER (which keeps its ';'s; CASE ... END may nest inside it).
[[nodiscard]] std::vector<std::string> split_sql_statements(std::string_view sql);

}  // namespace sillypaste::store
