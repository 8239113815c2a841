// Everything specific to SQLite lives here and in migrations/sqlite/.
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <new>
#include <string>

#include "store/casefold.hpp"
#include "store/sql_dialect.hpp"
#include "store/store.hpp"

namespace sillypaste::store {
namespace {

using namespace sqlite_api;

// sp_fold(text): fold_case() for SQL, since SQLite's lower() and LIKE know ASCII only.
void sqlite_fold(sqlite3_context* context, int /*argc*/, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(context);
    return;
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const auto length = static_cast<std::size_t>(sqlite3_value_bytes(argv[0]));
  try {
    const std::string folded = fold_case({text == nullptr ? "" : text, length});
    sqlite3_result_text64(context, folded.data(), folded.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  } catch (const std::bad_alloc&) {
    sqlite3_result_error_nomem(context);
  }
}

void prepare_sqlite_connection(soci::session& sql) {
  sql << "PRAGMA busy_timeout = 5000";
  std::string journal_mode;
  sql << "PRAGMA journal_mode = WAL", soci::into(journal_mode);
  sql << "PRAGMA synchronous = NORMAL";
  sql << "PRAGMA foreign_keys = ON";
  // Statement journals (SQLite keeps one for each insert inside a group commit: the
  // pastes table has a trigger) in memory: on disk they cost about 5 writes a create.
  sql << "PRAGMA temp_store = MEMORY";
  auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
  const int rc =
      sqlite3_create_function_v2(backend->conn_, "sp_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                 nullptr, &sqlite_fold, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    throw StoreError("cannot register sp_fold() with SQLite");
  }
}

}  // namespace

const SqlDialect& sqlite_dialect() {
  static const SqlDialect dialect{
      .name = "sqlite",
      .begin_write = "BEGIN IMMEDIATE",
      .begin_read = "BEGIN",
      .table_exists = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :name",
      .fold_function = "sp_fold",
      .search_index = SqlDialect::SearchIndex::kFts5Trigram,
      .lock_writes = "",
      .prepare_connection = &prepare_sqlite_connection,
  };
  return dialect;
}

}  // namespace sillypaste::store
