#pragma once

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <memory>

#include "store/sql_dialect.hpp"

namespace sillypaste::store::testing {

// A connection to the SQLite file `file`, set up as the store sets up its own.
[[nodiscard]] inline std::unique_ptr<soci::session> open_sqlite_session(
    const std::filesystem::path& file) {
  auto sql =
      std::make_unique<soci::session>(*soci::factory_sqlite3(), "db=\"" + file.string() + "\"");
  sqlite_dialect().prepare_connection(*sql);
  return sql;
}

}  // namespace sillypaste::store::testing
