#include "store/database_errors.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>

#include "store/store.hpp"

namespace sillypaste::store {

bool sqlite_result_means_full(int result) {
  constexpr int kSqliteFull = 13;  // SQLITE_FULL; extended codes keep it in the low byte
  return (result & 0xff) == kSqliteFull;
}

bool sqlstate_means_full(std::string_view sqlstate) { return sqlstate == "53100"; }

bool means_storage_full(const soci::soci_error& error) {
  if (const auto* sqlite = dynamic_cast<const soci::sqlite3_soci_error*>(&error)) {
    if (sqlite_result_means_full(sqlite->result())) {
      return true;
    }
  }
  if (const auto* postgres = dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
    if (sqlstate_means_full(postgres->sqlstate())) {
      return true;
    }
  }
  const std::string_view message = error.what();
  return message.find("No space left on device") != std::string_view::npos ||
         message.find("database or disk is full") != std::string_view::npos;
}

void throw_store_error(std::string_view what, const soci::soci_error& error) {
  std::string message = std::string(what) + ": " + error.what();
  if (means_storage_full(error)) {
    throw StorageFull(std::move(message));
  }
  throw StoreError(std::move(message));
}

}  // namespace sillypaste::store
