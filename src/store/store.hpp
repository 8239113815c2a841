#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model.hpp"
#include "core/paste_query.hpp"
#include "store/bulk_import.hpp"
#include "store/expected_write.hpp"

namespace sillypaste::store {

// The database could not do what was asked (connection lost, constraint broken).
// Handlers let it reach the HTTP layer, which answers 500 without details.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The database has no room left for a write (disk full). Reads still work and the
// condition passes once space is freed, so it is answered 503, not 500.
class StorageFull : public StoreError {
 public:
  using StoreError::StoreError;
};

// A username that is already taken (case-insensitively).
class DuplicateUsername : public StoreError {
 public:
  using StoreError::StoreError;
};

// Pastes waiting for the search index and their bytes (Store::search_backlog_size).
struct SearchBacklog {
  long long pastes = 0;
  long long bytes = 0;
};

// Numbers for the /stats/ charts: per UTC day (days since the epoch, only days with
// something) over the last `days` days, and the languages most used.
struct DailyPasteStats {
  struct Day {
    std::int64_t day = 0;
    std::int64_t pastes = 0;     // pastes created that day that still exist
    std::int64_t bytes = 0;      // their size
    std::int64_t expired = 0;    // pastes removed by expiry passes that day
    std::int64_t reclaimed = 0;  // bytes those passes reclaimed
  };
  std::vector<Day> days;                                        // by day, ascending
  std::vector<std::pair<std::string, std::int64_t>> languages;  // most used first; "" = none
};

struct ExpiryResult {
  std::vector<core::Id> expired_paste_ids;  // by time and with pruned users
  std::int64_t reclaimed_bytes = 0;
  std::int64_t users_pruned = 0;
  core::ExpiryLog log;
};

// The storage the core needs. One implementation per database engine; handlers only
// see this interface. Every write is one transaction; every method is safe to call from
// many threads at once.
class Store {
 public:
  virtual ~Store() = default;

  // True when queries run inside this process (SQLite): a thread waits on one only for the
  // CPU, never for the network, so a few worker threads keep every core busy.
  [[nodiscard]] virtual bool queries_run_in_process() const = 0;

  // Schema: applies the numbered migrations not yet recorded; returns how many ran.
  virtual int migrate() = 0;
  [[nodiscard]] virtual int schema_version() = 0;

  // Key-value settings kept in the database (the generated secret key).
  [[nodiscard]] virtual std::optional<std::string> setting(std::string_view key) = 0;
  virtual void set_setting(std::string_view key, std::string_view value) = 0;

  // Languages.
  [[nodiscard]] virtual std::vector<core::Language> languages() = 0;  // by name
  [[nodiscard]] virtual std::optional<core::Language> language_by_id(core::Id id) = 0;
  // Case-insensitive.
  [[nodiscard]] virtual std::optional<core::Language> language_by_name(std::string_view name) = 0;
  // Inserts each name not present yet; returns how many were added.
  virtual int sync_languages(const std::vector<std::string>& names) = 0;

  // Pastes. Lookups never return a paste whose expiry is at or before `now`.
  // insert_paste ignores paste.id and returns the new id.
  virtual core::Id insert_paste(const core::Paste& paste) = 0;
  // Called once a paste of insert_paste_then is committed, with the paste (its id set), or
  // with what writing it threw. Runs on the store's writer thread: must be quick, never
  // block, and not throw.
  using PasteWritten = std::function<void(core::Paste paste, std::exception_ptr error)>;
  // insert_paste that returns at once: `then` hears when the paste is written.
  virtual void insert_paste_then(core::Paste paste, PasteWritten then) = 0;
  // Waits until every paste given to insert_paste_then so far is written and its `then`
  // has run (before what those callbacks use is destroyed).
  virtual void finish_paste_inserts() = 0;
  // Announces an insert_paste (or insert_paste_then) to come (the paste is being rendered);
  // release the result just before the call. Lets a group commit wait a little for it.
  [[nodiscard]] virtual ExpectedWrite expect_paste_insert() = 0;
  // Writes every field but id, timestamp and hits; false when no such paste.
  virtual bool update_paste(const core::Paste& paste) = 0;
  virtual bool delete_paste(core::Id id) = 0;
  [[nodiscard]] virtual std::optional<core::PasteView> paste_by_id(core::Id id,
                                                                   core::Micros now) = 0;
  [[nodiscard]] virtual std::optional<core::PasteView> paste_by_secret(std::string_view secret,
                                                                       core::Micros now) = 0;
  // Reads and deletes a burn-after-reading paste in one transaction: of two concurrent
  // callers exactly one gets it.
  [[nodiscard]] virtual std::optional<core::PasteView> take_paste(core::Id id,
                                                                  core::Micros now) = 0;
  [[nodiscard]] virtual core::PastePage list_pastes(const core::PasteQuery& query) = 0;
  // Most-hit public pastes (not private, not burn, not expired).
  [[nodiscard]] virtual std::vector<core::PasteView> top_pastes(int limit, core::Micros now) = 0;
  // hits = hits + n for each (id, n), skipping pastes with frozen hits; one transaction.
  virtual void add_hits(const std::vector<std::pair<core::Id, std::int64_t>>& increments) = 0;
  [[nodiscard]] virtual core::Stats stats() = 0;
  // For the /stats/ charts (soci_store_charts.cpp).
  [[nodiscard]] virtual DailyPasteStats daily_paste_stats(int days, core::Micros now) = 0;

  // Users. create_user ignores user.id and returns the new id; throws DuplicateUsername.
  virtual core::Id create_user(const core::User& user) = 0;
  [[nodiscard]] virtual std::optional<core::User> user_by_id(core::Id id) = 0;
  // Case-insensitive.
  [[nodiscard]] virtual std::optional<core::User> user_by_username(std::string_view username) = 0;
  virtual void update_user(const core::User& user) = 0;
  // Moves every paste of one user to another (anonymous visitor becoming a real user).
  virtual void move_pastes(core::Id from_user, core::Id to_user) = 0;

  // Administration: users by id, filtered.
  [[nodiscard]] virtual core::UserPage list_users(const core::UserQuery& query) = 0;
  // Deletes a user with their pastes, sessions and token; false when no such user.
  virtual bool delete_user(core::Id id) = 0;

  // API tokens (40 hex characters, one per user).
  // The user holding the token `key` (an exact, byte for byte match), in one query.
  [[nodiscard]] virtual std::optional<core::User> user_by_token(std::string_view key) = 0;
  [[nodiscard]] virtual std::optional<std::string> token_for_user(core::Id user_id) = 0;
  // Sets the user's token, replacing any previous one.
  virtual void set_token(core::Id user_id, std::string_view key, core::Micros created) = 0;
  virtual bool delete_token(core::Id user_id) = 0;

  // Sessions. session() returns nothing for an expired session.
  virtual void create_session(const core::Session& session) = 0;
  [[nodiscard]] virtual std::optional<core::Session> session(std::string_view id,
                                                             core::Micros now) = 0;
  virtual void delete_session(std::string_view id) = 0;
  // Ends every session of a user except `keep` (empty: all), e.g. after a password change.
  virtual void delete_user_sessions(core::Id user_id, std::string_view keep) = 0;

  // One expiry pass in one transaction: deletes pastes whose expiry <= now, deletes
  // anonymous users whose last login (or join date) is before anonymous_cutoff together
  // with their pastes and sessions, deletes expired sessions, writes an ExpiryLog and
  // folds logs beyond `keep_logs` into the oldest kept one.
  virtual ExpiryResult expire(core::Micros now, core::Micros anonymous_cutoff, int keep_logs) = 0;
  [[nodiscard]] virtual std::vector<core::ExpiryLog> expiry_logs(int limit, int offset) = 0;

  // Search index work that writes left for later (SQLite: pastes not yet in the trigram
  // index, migration 0005; always 0 on PostgreSQL). Searches find those pastes anyway, by
  // reading them. An estimate: deleted pastes may count.
  [[nodiscard]] virtual long long search_backlog() = 0;
  // The same with the size of those pastes (their `size`: title and body), which is what a
  // search reads for them. Also an estimate; cheap when called often, as each call reads
  // only the pastes written or indexed since the previous one.
  [[nodiscard]] virtual SearchBacklog search_backlog_size() = 0;
  // Indexes the oldest max_rows (at least 1) of that backlog in one write transaction;
  // returns search_backlog() after it.
  virtual long long index_search_backlog(long long max_rows) = 0;

  // Data transfer (export, import, import-django; see store/bulk_import.hpp).
  // Streams every row to `visitor` from one read snapshot, one row in memory at a time.
  virtual void export_rows(RowVisitor& visitor) = 0;
  // Opens the one write transaction of a bulk import (holds the write lock until destroyed).
  [[nodiscard]] virtual std::unique_ptr<BulkImport> begin_import() = 0;
};

// Opens the database a DATABASE_URL names (sqlite:///path, postgres://user:pass@host:port/db
// or postgresql://..., with ?sslmode= and other libpq parameters passed through), keeping
// pool_size connections open. Throws StoreError.
inline constexpr std::size_t kDefaultPoolSize = 8;
[[nodiscard]] std::unique_ptr<Store> open_store(std::string_view database_url,
                                                std::size_t pool_size = kDefaultPoolSize);

}  // namespace sillypaste::store
