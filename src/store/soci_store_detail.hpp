#pragma once

// Pieces shared by the soci_store_*.cpp files; not part of the store's interface.

#include <soci/soci.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.hpp"
#include "store/database_errors.hpp"
#include "store/soci_store.hpp"

namespace sillypaste::store {

// Runs f, turning database errors into StoreError or StorageFull (what names the
// operation).
template <typename F>
auto guarded(std::string_view what, F&& f) -> decltype(f()) {
  try {
    return std::forward<F>(f)();
  } catch (const StoreError&) {
    throw;
  } catch (const soci::soci_error& e) {
    throw_store_error(what, e);
  }
}

template <typename F>
auto SociStore::guarded(std::string_view what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const soci::soci_error& e) {
    if (!reconnect_dead_connections()) {
      throw_store_error(what, e);
    }
  }
  return store::guarded(what, std::forward<F>(f));  // once more, on a fresh connection
}

// A transaction that rolls back unless committed.
class Transaction {
 public:
  Transaction(soci::session& sql, std::string_view begin) : sql_(sql) {
    sql_ << std::string(begin);
  }
  ~Transaction() {
    if (!open_) {
      return;
    }
    try {
      sql_ << "ROLLBACK";
    } catch (...) {  // NOLINT(bugprone-empty-catch): the original error is already on its way
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit() {
    sql_ << "COMMIT";
    open_ = false;
  }
  [[nodiscard]] soci::session& sql() const { return sql_; }

 private:
  soci::session& sql_;
  bool open_ = true;
};

// SQLite (migration 0005): puts up to max_rows pastes above search_progress.indexed_through
// into the trigram index and moves the mark past them, inside the caller's write
// transaction; max_rows <= 0 takes them all. Returns how many ids the mark moved over.
long long index_pending_pastes(soci::session& sql, long long max_rows);

// A pooled connection held until destroyed: one leased now, or one the caller leased.
struct PoolLease {
  explicit PoolLease(soci::connection_pool& from) : pool(from), position(from.lease()) {}
  PoolLease(soci::connection_pool& from, std::size_t leased) : pool(from), position(leased) {}
  ~PoolLease() { pool.give_back(position); }
  PoolLease(const PoolLease&) = delete;
  PoolLease& operator=(const PoolLease&) = delete;
  [[nodiscard]] soci::session& sql() const { return pool.at(position); }
  soci::connection_pool& pool;
  std::size_t position;
};

// Whether this thread is inside a WriteScope, whose mutex it must then not lock again.
inline thread_local bool this_thread_writes = false;

// The one writer: holds the write mutex and the writer's connection (a pooled one when
// the pool has no connection set aside for writes) inside a write transaction.
class WriteScope {
 public:
  // What the transaction may change. Unless it is only pastes (and their search index),
  // the token cache forgets every user it holds once the transaction is over.
  enum class Touches { anything, pastes_only };

  explicit WriteScope(SociStore& store, Touches touches = Touches::anything)
      : store_(store),
        touches_(touches),
        lock_(store.write_mutex_),
        lease_(store.writer_position_ ? std::nullopt : std::make_optional<PoolLease>(store.pool_)),
        position_(store.writer_position_ ? *store.writer_position_ : lease_->position),
        tx_(store.pool_.at(position_), store.dialect_.begin_write) {
    if (!store.dialect_.lock_writes.empty()) {  // one writer across processes, too
      sql() << std::string(store.dialect_.lock_writes);
    }
    this_thread_writes = true;  // last: a constructor that throws has no destructor run
  }
  ~WriteScope() {
    if (touches_ != Touches::pastes_only) {
      store_.token_cache_.forget_all();  // committed or not: forgetting is always safe
    }
    this_thread_writes = false;
  }
  WriteScope(const WriteScope&) = delete;
  WriteScope& operator=(const WriteScope&) = delete;

  [[nodiscard]] soci::session& sql() { return tx_.sql(); }
  // The connection's place in the pool (for the statements prepared on it).
  [[nodiscard]] std::size_t position() const { return position_; }
  void commit() { tx_.commit(); }

 private:
  SociStore& store_;
  Touches touches_;
  std::unique_lock<std::mutex> lock_;
  std::optional<PoolLease> lease_;
  std::size_t position_;
  Transaction tx_;
};

// alloc + prepare + define_and_bind for a statement whose into/use were exchanged already.
inline void prepare(soci::statement& st, const std::string& query) {
  st.alloc();
  st.prepare(query);
  st.define_and_bind();
}

// The most rows one page of a listing returns.
inline constexpr int kMaxPageSize = 1000;

// "%text%" for LIKE ... ESCAPE '\', with the wildcards of the text taken literally.
[[nodiscard]] inline std::string like_pattern(std::string_view text) {
  std::string pattern = "%";
  for (const char c : text) {
    if (c == '\\' || c == '%' || c == '_') {
      pattern.push_back('\\');
    }
    pattern.push_back(c);
  }
  pattern.push_back('%');
  return pattern;
}

[[nodiscard]] inline core::Micros system_now_micros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

[[nodiscard]] inline soci::indicator null_if(bool is_null) {
  return is_null ? soci::i_null : soci::i_ok;
}

template <typename T>
[[nodiscard]] std::optional<T> optional_of(const T& value, soci::indicator indicator) {
  if (indicator == soci::i_null) {
    return std::nullopt;
  }
  return value;
}

// Paste columns joined with author and language names; bodies only where asked for.
inline constexpr std::string_view kPasteColumns =
    "p.id, p.title, p.timestamp, p.expiry, p.is_private, p.secret, p.legacy_id_access, "
    "p.burn, p.hits, p.freeze_hits, p.size, p.author_id, p.language_id, "
    "u.username, u.is_anonymous, l.name";
inline constexpr std::string_view kPasteBodyColumns = ", p.body, p.body_html, p.rendered_html";
inline constexpr std::string_view kPasteJoins =
    " FROM pastes p LEFT JOIN users u ON u.id = p.author_id"
    " LEFT JOIN languages l ON l.id = p.language_id";
inline constexpr std::string_view kNotExpired = "(p.expiry IS NULL OR p.expiry > :now)";

// Receives one row of kPasteColumns (+ kPasteBodyColumns).
class PasteRow {
 public:
  void bind(soci::statement& st, bool with_bodies);
  [[nodiscard]] core::PasteView view() const;

 private:
  long long id_ = 0, timestamp_ = 0, expiry_ = 0, hits_ = 0, size_ = 0;
  long long author_id_ = 0, language_id_ = 0;
  int is_private_ = 0, legacy_ = 0, burn_ = 0, freeze_hits_ = 0, author_anonymous_ = 0;
  std::string title_, secret_, author_name_, language_name_, body_, body_html_, rendered_;
  soci::indicator expiry_ind_ = soci::i_null, secret_ind_ = soci::i_null;
  soci::indicator author_id_ind_ = soci::i_null, language_id_ind_ = soci::i_null;
  soci::indicator author_name_ind_ = soci::i_null, author_anonymous_ind_ = soci::i_null;
  soci::indicator language_name_ind_ = soci::i_null, rendered_ind_ = soci::i_null;
  bool with_bodies_ = false;
};

// Newest first; on a connection the caller already holds.
[[nodiscard]] std::vector<core::ExpiryLog> read_expiry_logs(soci::session& sql, int limit,
                                                            int offset);

}  // namespace sillypaste::store
