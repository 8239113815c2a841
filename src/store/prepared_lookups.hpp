#pragma once

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <memory>
#include <optional>
#include <string>

#include "core/model.hpp"
#include "store/paste_lookup_sql.hpp"
#include "store/paste_params.hpp"
#include "store/quick_reads.hpp"
#include "store/soci_store.hpp"
#include "store/soci_store_detail.hpp"
#include "store/user_row.hpp"

namespace sillypaste::store {

// A SQLite statement left unfinished keeps its read transaction open: the connection would
// go on seeing an old snapshot and could not start a write. PostgreSQL's backend has read
// the whole result already.
inline void finish_statement(soci::statement& statement, bool sqlite) {
  if (!sqlite) {
    return;
  }
  // static_cast: SOCI's backends have no type information exported to check it by.
  auto* backend = static_cast<soci::sqlite3_statement_backend*>(statement.get_backend());
  if (backend != nullptr && backend->stmt_ != nullptr) {
    sqlite_api::sqlite3_reset(backend->stmt_);
  }
}

// One paste looked up by a key, with a statement prepared once and executed again for
// each lookup. Parsing the SQL of this lookup was a fifth of the cost of a paste page.
template <typename Key>
class PreparedPasteLookup {
 public:
  // `condition` may use :key and :now. `sqlite`: the session is SQLite's.
  PreparedPasteLookup(soci::session& sql, std::string_view condition, bool sqlite)
      : sqlite_(sqlite), statement_(sql) {
    row_.bind(statement_, true);
    statement_.exchange(soci::use(key_, "key"));
    statement_.exchange(soci::use(now_, "now"));
    prepare(statement_, paste_lookup_sql(condition));
  }

  [[nodiscard]] std::optional<core::PasteView> run(const Key& key, core::Micros now) {
    key_ = key;
    now_ = now;
    const bool found = statement_.execute(true);
    finish_statement(statement_, sqlite_);
    if (!found) {
      return std::nullopt;
    }
    return row_.view();
  }

 private:
  bool sqlite_;
  PasteRow row_;
  Key key_{};
  long long now_ = 0;
  soci::statement statement_;
};

// One user looked up by a key, prepared once like PreparedPasteLookup: the API's token
// check runs one on every request that carries a token.
template <typename Key>
class PreparedUserLookup {
 public:
  // `condition` may use :key.
  PreparedUserLookup(soci::session& sql, std::string_view condition, bool sqlite)
      : sqlite_(sqlite), statement_(sql) {
    row_.bind_into(statement_);
    statement_.exchange(soci::use(key_, "key"));
    prepare(statement_, std::string(kUserColumns) + " WHERE " + std::string(condition));
  }

  [[nodiscard]] std::optional<core::User> run(const Key& key) {
    key_ = key;
    const bool found = statement_.execute(true);
    finish_statement(statement_, sqlite_);
    if (!found) {
      return std::nullopt;
    }
    return row_.user();
  }

 private:
  bool sqlite_;
  UserRow row_;
  Key key_{};
  soci::statement statement_;
};

// Inserts one paste and returns its id, prepared once (kInsertPasteSql).
class PreparedPasteInsert {
 public:
  PreparedPasteInsert(soci::session& sql, bool sqlite)
      : sqlite_(sqlite), params_(core::Paste{}), statement_(sql) {
    params_.bind_insert_row(statement_);
    statement_.exchange(soci::into(id_));
    prepare(statement_, std::string(kInsertPasteSql));
  }

  [[nodiscard]] core::Id run(const core::Paste& paste) {
    params_ = PasteParams(paste);  // the bound references stay valid: same members
    const bool returned = statement_.execute(true);
    finish_statement(statement_, sqlite_);  // SQLite cannot commit while it is alive
    if (!returned) {
      throw StoreError("insert_paste: no id returned");
    }
    return core::Id{id_};
  }

 private:
  bool sqlite_;
  PasteParams params_;
  long long id_ = 0;
  soci::statement statement_;
};

// The statements kept prepared on one pooled connection, made on first use.
struct PreparedLookups {
  std::unique_ptr<PreparedPasteLookup<long long>> paste_by_id;
  std::unique_ptr<PreparedPasteLookup<std::string>> paste_by_secret;
  std::unique_ptr<PreparedUserLookup<long long>> user_by_id;
  std::unique_ptr<PreparedUserLookup<std::string>> user_by_token;
  std::unique_ptr<PreparedPasteInsert> paste_insert;  // used under the write lock only
};

template <typename F>
auto SociStore::with_prepared(F&& f)
    -> decltype(f(std::declval<soci::session&>(), std::declval<PreparedLookups&>())) {
  std::size_t position = 0;
  if (!QuickReadScope::active()) {
    position = pool_.lease();
  } else if (dialect_.name != "sqlite" || !pool_.try_lease(position, 0)) {
    throw WouldWait{};
  }
  const PoolLease lease(pool_, position);
  PreparedLookups& lookups = *prepared_[position];
  try {
    return f(lease.sql(), lookups);
  } catch (...) {
    lookups = PreparedLookups{};
    throw;
  }
}

}  // namespace sillypaste::store
