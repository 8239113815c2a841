#pragma once

#include <string_view>

namespace soci {
class session;
}

namespace sillypaste::store {

// What differs between database engines. Everything else in SociStore is plain SQL that
// SQLite (3.35+) and PostgreSQL both accept (RETURNING, ON CONFLICT, LIMIT/OFFSET).
struct SqlDialect {
  std::string_view name;         // migrations are read from migrations/<name>/
  std::string_view begin_write;  // takes the write lock at once
  std::string_view begin_read;
  // One :name placeholder; yields a count, non-zero when the table exists.
  std::string_view table_exists;
  // A SQL function matching fold_case() closely enough for searches.
  std::string_view fold_function;
  // Run once on each new connection (pragmas, custom functions).
  void (*prepare_connection)(soci::session& sql);
};

[[nodiscard]] const SqlDialect& sqlite_dialect();

}  // namespace sillypaste::store
