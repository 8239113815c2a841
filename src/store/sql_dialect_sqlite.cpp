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

constexpr int kSqliteAutocheckpointPages = 1000;  // SQLite's default

int tell_wal_listener(void* listener, sqlite3* db, const char* schema, int pages) {
  if (static_cast<WalListener*>(listener)->wal_grew(pages)) {
    // As SQLite's own hook does, errors left for the next checkpoint to meet again.
    (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  return SQLITE_OK;
}

void defer_sqlite_checkpoints(soci::session& sql, WalListener* listener) {
  auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
  if (listener == nullptr) {
    sqlite3_wal_autocheckpoint(backend->conn_, kSqliteAutocheckpointPages);
    return;
  }
  // Replaces the hook of sqlite3_wal_autocheckpoint(), SQLite's checkpoint in the commit.
  sqlite3_wal_hook(backend->conn_, &tell_wal_listener, listener);
}

int sqlite_checkpoint(soci::session& sql) {
  auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
  int log_pages = 0;
  int copied_pages = 0;
  const int rc = sqlite3_wal_checkpoint_v2(backend->conn_, nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                           &log_pages, &copied_pages);
  if (rc == SQLITE_BUSY) {  // another process's checkpoint is running
    return 0;
  }
  if (rc != SQLITE_OK) {
    throw StoreError(std::string("WAL checkpoint failed: ") + sqlite3_errstr(rc));
  }
  return copied_pages;
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
      .defer_checkpoints = &defer_sqlite_checkpoints,
      .checkpoint = &sqlite_checkpoint,
  };
  return dialect;
}

}  // namespace sillypaste::store
