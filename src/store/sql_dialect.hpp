#pragma once

#include <string>
#include <string_view>

namespace soci {
class session;
}

namespace sillypaste::store {

// Told after each commit of a connection whose checkpoints are deferred (SQLite).
class WalListener {
 public:
  // `pages`: the write-ahead log's length. Runs inside the commit: must be quick. True
  // asks the connection to checkpoint now, before its commit returns.
  virtual bool wal_grew(int pages) noexcept = 0;

 protected:
  WalListener() = default;
  ~WalListener() = default;
  WalListener(const WalListener&) = default;
  WalListener& operator=(const WalListener&) = default;
};

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
  // How a search term of three or more characters finds candidate pastes through an index
  // (migrations 0002_search.sql): SQLite's FTS5 table pastes_search, or PostgreSQL's pg_trgm
  // GIN indexes on fold_function(title) and fold_function(body).
  enum class SearchIndex { kFts5Trigram, kPgTrgm } search_index;
  // Run right after begin_write when non-empty: a lock that serializes writers of every
  // process sharing the database (SQLite's BEGIN IMMEDIATE already does).
  std::string_view lock_writes;
  // Run once on each new connection (pragmas, custom functions).
  void (*prepare_connection)(soci::session& sql);
  // SQLite's write-ahead log (both null on PostgreSQL). defer_checkpoints: the
  // connection's commits stop copying the log back into the database once it is long
  // (SQLite's automatic checkpoint); each tells `listener` the log's length instead
  // (nullptr: back to the automatic checkpoints).
  // checkpoint: copies what it can of the log into the database (PASSIVE: never waits for
  // other connections); returns how many of the log's pages are copied now. Throws
  // StoreError when it fails.
  void (*defer_checkpoints)(soci::session& sql, WalListener* listener);
  int (*checkpoint)(soci::session& sql);
};

[[nodiscard]] const SqlDialect& sqlite_dialect();
[[nodiscard]] const SqlDialect& postgresql_dialect();

// libpq's key='value' connection string for a postgres:// or postgresql:// URL (user,
// password, host, port, database, and every ?key=value such as sslmode). Throws StoreError.
[[nodiscard]] std::string postgresql_connect_string(std::string_view url);

}  // namespace sillypaste::store
