#pragma once

#include <soci/connection-pool.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "store/sql_dialect.hpp"
#include "store/store.hpp"
#include "store/token_cache.hpp"
#include "store/wal_checkpointer.hpp"
#include "store/write_queue.hpp"

namespace soci {
class backend_factory;
}

namespace sillypaste::store {

struct PreparedLookups;

// Store over SOCI: a pool of connections shared by all threads. Reads run on any pooled
// connection; writes are serialized by one mutex (SQLite has a single writer anyway) and
// each runs in one transaction opened with the dialect's begin_write. New pastes are
// written in groups: those created at the same time share one INSERT and one commit
// (insert_paste returns once the commit holding its paste is done).
class SociStore final : public Store {
 public:
  // Opens pool_size connections and prepares each one. Throws StoreError.
  SociStore(const soci::backend_factory& backend, const std::string& connect_string,
            const SqlDialect& dialect, std::size_t pool_size = store::kDefaultPoolSize);
  ~SociStore() override;
  SociStore(const SociStore&) = delete;
  SociStore& operator=(const SociStore&) = delete;

  [[nodiscard]] bool queries_run_in_process() const override { return dialect_.name == "sqlite"; }
  int migrate() override;
  [[nodiscard]] int schema_version() override;

  [[nodiscard]] std::optional<std::string> setting(std::string_view key) override;
  void set_setting(std::string_view key, std::string_view value) override;

  [[nodiscard]] std::vector<core::Language> languages() override;
  [[nodiscard]] std::optional<core::Language> language_by_id(core::Id id) override;
  [[nodiscard]] std::optional<core::Language> language_by_name(std::string_view name) override;
  int sync_languages(const std::vector<std::string>& names) override;

  core::Id insert_paste(const core::Paste& paste) override;
  void insert_paste_then(core::Paste paste, PasteWritten then) override;
  void finish_paste_inserts() override;
  ExpectedWrite expect_paste_insert() override;
  bool update_paste(const core::Paste& paste) override;
  bool delete_paste(core::Id id) override;
  [[nodiscard]] std::optional<core::PasteView> paste_by_id(core::Id id, core::Micros now) override;
  [[nodiscard]] std::optional<core::PasteView> paste_by_secret(std::string_view secret,
                                                               core::Micros now) override;
  // Only burn pastes are taken; any other id answers nullopt and deletes nothing.
  [[nodiscard]] std::optional<core::PasteView> take_paste(core::Id id, core::Micros now) override;
  [[nodiscard]] core::PastePage list_pastes(const core::PasteQuery& query) override;
  [[nodiscard]] std::vector<core::PasteView> top_pastes(int limit, core::Micros now) override;
  // The database's query plan for list_pastes(query)'s count, or for its filter and order
  // (kPage), one line per row (for tests).
  enum class Explained { kPage, kCount };
  [[nodiscard]] std::vector<std::string> explain_listing(const core::PasteQuery& query,
                                                         Explained which = Explained::kPage);
  void add_hits(const std::vector<std::pair<core::Id, std::int64_t>>& increments) override;
  // Counts every stored paste, including expired ones the next pass will delete.
  [[nodiscard]] core::Stats stats() override;
  [[nodiscard]] DailyPasteStats daily_paste_stats(int days, core::Micros now) override;

  core::Id create_user(const core::User& user) override;
  [[nodiscard]] std::optional<core::User> user_by_id(core::Id id) override;
  [[nodiscard]] std::optional<core::User> user_by_username(std::string_view username) override;
  // Throws DuplicateUsername when renaming onto a name another user holds.
  void update_user(const core::User& user) override;
  void move_pastes(core::Id from_user, core::Id to_user) override;

  // Search matches a substring of the case-folded username; % and _ are taken literally.
  // limit is clamped to 0..1000.
  [[nodiscard]] core::UserPage list_users(const core::UserQuery& query) override;
  bool delete_user(core::Id id) override;

  // Kept in a TokenCache: a token removed by another process may still work for a second.
  [[nodiscard]] std::optional<core::User> user_by_token(std::string_view key) override;
  // Tokens whose user the cache holds (for tests).
  [[nodiscard]] std::size_t cached_tokens() const { return token_cache_.size(); }
  [[nodiscard]] std::optional<std::string> token_for_user(core::Id user_id) override;
  // Throws StoreError when the user does not exist or another user holds the key.
  void set_token(core::Id user_id, std::string_view key, core::Micros created) override;
  bool delete_token(core::Id user_id) override;

  void create_session(const core::Session& session) override;
  [[nodiscard]] std::optional<core::Session> session(std::string_view id,
                                                     core::Micros now) override;
  void delete_session(std::string_view id) override;
  void delete_user_sessions(core::Id user_id, std::string_view keep) override;

  // keep_logs <= 0 keeps every log. ExpiryResult::log is the log as this pass wrote it.
  ExpiryResult expire(core::Micros now, core::Micros anonymous_cutoff, int keep_logs) override;
  // Newest first.
  [[nodiscard]] std::vector<core::ExpiryLog> expiry_logs(int limit, int offset) override;

  // In soci_store_search_index.cpp.
  [[nodiscard]] long long search_backlog() override;
  [[nodiscard]] SearchBacklog search_backlog_size() override;
  long long index_search_backlog(long long max_rows) override;

  // In soci_store_transfer*.cpp.
  void export_rows(RowVisitor& visitor) override;
  [[nodiscard]] std::unique_ptr<BulkImport> begin_import() override;

 private:
  friend class WriteScope;

  // Runs f, turning database errors into StoreError. When f fails and a pooled connection
  // turns out to be dead (the server restarted), reopens the dead ones and runs f once
  // more. Defined in soci_store_detail.hpp; hides the free guarded() in member functions.
  template <typename F>
  auto guarded(std::string_view what, F&& f) -> decltype(f());
  // Pings every idle pooled connection and reopens the dead ones; true if any was.
  bool reconnect_dead_connections();
  // Runs f(sql, lookups) with a pooled connection and the statements prepared on it. The
  // statements are dropped when f throws, so that a broken one is never reused. Defined
  // in prepared_lookups.hpp.
  template <typename F>
  auto with_prepared(F&& f)
      -> decltype(f(std::declval<soci::session&>(), std::declval<PreparedLookups&>()));
  // Writes the pastes in one transaction; their ids in the same order. All or nothing.
  std::vector<core::Id> insert_pastes(std::span<const core::Paste* const> pastes);

  const SqlDialect& dialect_;
  soci::connection_pool pool_;
  std::size_t pool_size_;
  std::mutex write_mutex_;
  // The connection every write goes through, leased for the store's lifetime when the
  // pool has more than one: its page cache then stays warm from one write to the next
  // (SQLite drops a connection's cache whenever another connection has written).
  std::optional<std::size_t> writer_position_;
  // With SQLite, copies the writer's log back into the database off its commits; set
  // with writer_position_. Before paste_inserts_, whose last writes it may still copy.
  std::unique_ptr<WalCheckpointer> checkpointer_;
  // Users of recent API tokens; every WriteScope that may change users forgets them.
  TokenCache token_cache_;
  // What search_backlog_size() found at its previous call: the pastes in (mark, through]
  // and their bytes, so that the next call reads only what changed at either end.
  struct BacklogTally {
    long long mark = 0;
    long long through = 0;
    long long bytes = 0;
  };
  std::mutex backlog_tally_mutex_;
  BacklogTally backlog_tally_;
  // By pool position; only touched by whoever leased that position.
  std::vector<std::unique_ptr<PreparedLookups>> prepared_;
  // The most pastes one group commit writes.
  static constexpr std::size_t kMaxInsertBatch = 32;
  // How long a group commit may wait for pastes still being rendered. Measured with the
  // create benchmark: 150 to 300 us made groups of 4 instead of 2 and 5% more creates;
  // 600 us and more, fewer.
  static constexpr std::chrono::microseconds kInsertLinger{300};
  WriteQueue<core::Paste, core::Id> paste_inserts_{
      [this](std::span<const core::Paste* const> pastes) { return insert_pastes(pastes); },
      kMaxInsertBatch, kInsertLinger};
};

}  // namespace sillypaste::store
