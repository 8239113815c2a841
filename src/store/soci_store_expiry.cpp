// SociStore: the expiry pass and its logs.
#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "store/soci_store.hpp"
#include "store/soci_store_detail.hpp"

namespace sillypaste::store {
namespace {

// Pastes to delete: expired ones and those of anonymous users about to be pruned.
constexpr std::string_view kStaleAnonymousUsers =
    "SELECT id FROM users WHERE is_anonymous = 1 AND COALESCE(last_login, date_joined) < "
    ":cutoff";
// Their ids, as two index lookups (expiry, author), sorted and deduplicated here: the same
// test written with OR, or a UNION with ORDER BY, made SQLite read the whole table (1.7 s
// over 1,000,000 pastes, at every start of serve).
const std::string kDoomedIds =
    "SELECT id FROM pastes WHERE expiry <= :now UNION ALL "
    "SELECT id FROM pastes WHERE author_id IN (" +
    std::string(kStaleAnonymousUsers) + ")";
// The same test for the rows of one range of ids (read under the write lock).
const std::string kDoomedInRange =
    " FROM pastes WHERE id BETWEEN :first AND :last AND (expiry <= :now OR author_id IN (" +
    std::string(kStaleAnonymousUsers) + "))";
// Doomed ids deleted by one statement, and how long one transaction goes on taking more.
constexpr std::size_t kExpiryChunk = 100;
constexpr std::chrono::milliseconds kExpiryTransactionTime{50};
// SQLite's page cache during a pass, in KiB (the default is 2,000).
constexpr long long kExpiryCacheKib = 64 * 1024;
// SQLite: entries of deleted pastes taken out of the trigram index by one statement, and
// how long one pass goes on doing it (migration 0004: the delete trigger queues them in
// pastes_search_stale). About 0.07 ms each: 0.5 s is about 7,000 deleted pastes a pass, so
// serve (a pass a minute) works off 100,000 in about 15 minutes, and the pass it runs
// before it answers stays short.
constexpr long long kSearchPurgeChunk = 200;
constexpr std::chrono::milliseconds kSearchPurgeTime{500};
constexpr std::string_view kDeleteStaleAnonymousUsers =
    "DELETE FROM users WHERE is_anonymous = 1 AND COALESCE(last_login, date_joined) < :cutoff";

void append_ids(std::string& ids, std::string_view more) {
  if (more.empty()) {
    return;
  }
  if (!ids.empty()) {
    ids += ',';
  }
  ids += more;
}

// Receives one expiry_logs row.
class LogRow {
 public:
  void bind(soci::statement& st) {
    st.exchange(soci::into(id_));
    st.exchange(soci::into(expired_ids_));
    st.exchange(soci::into(timestamp_));
    st.exchange(soci::into(user_cutoff_, user_cutoff_ind_));
    st.exchange(soci::into(paste_count_));
    st.exchange(soci::into(reclaimed_space_));
    st.exchange(soci::into(user_count_));
    st.exchange(soci::into(completed_));
  }

  [[nodiscard]] core::ExpiryLog log() const {
    return core::ExpiryLog{id_,          expired_ids_,
                           timestamp_,   optional_of<core::Micros>(user_cutoff_, user_cutoff_ind_),
                           paste_count_, reclaimed_space_,
                           user_count_,  completed_ != 0};
  }

 private:
  long long id_ = 0, timestamp_ = 0, user_cutoff_ = 0;
  long long paste_count_ = 0, reclaimed_space_ = 0, user_count_ = 0;
  int completed_ = 0;
  std::string expired_ids_;
  soci::indicator user_cutoff_ind_ = soci::i_null;
};

// Folds the oldest logs beyond keep_logs into the oldest kept one.
void fold_logs(soci::session& sql, int keep_logs) {
  if (keep_logs <= 0) {
    return;
  }
  long long count = 0;
  sql << "SELECT COUNT(*) FROM expiry_logs", soci::into(count);
  if (count <= keep_logs) {
    return;
  }
  const long long extra = count - keep_logs;

  std::string ids;
  long long pastes = 0, space = 0, users = 0, last_extra_id = 0;
  {
    long long id = 0, paste_count = 0, reclaimed = 0, user_count = 0;
    std::string expired_ids;
    soci::statement st =
        (sql.prepare << "SELECT id, expired_ids, paste_count, reclaimed_space, user_count "
                        "FROM expiry_logs ORDER BY id LIMIT :n",
         soci::use(extra), soci::into(id), soci::into(expired_ids), soci::into(paste_count),
         soci::into(reclaimed), soci::into(user_count));
    if (st.execute(true)) {
      do {
        append_ids(ids, expired_ids);
        pastes += paste_count;
        space += reclaimed;
        users += user_count;
        last_extra_id = id;
      } while (st.fetch());
    }
  }
  long long kept_id = 0;
  std::string kept_ids;
  sql << "SELECT id, expired_ids FROM expiry_logs WHERE id > :last ORDER BY id LIMIT 1",
      soci::use(last_extra_id), soci::into(kept_id), soci::into(kept_ids);
  append_ids(ids, kept_ids);
  sql << "UPDATE expiry_logs SET expired_ids = :ids, paste_count = paste_count + :pastes, "
         "reclaimed_space = reclaimed_space + :space, user_count = user_count + :users "
         "WHERE id = :id",
      soci::use(ids), soci::use(pastes), soci::use(space), soci::use(users), soci::use(kept_id);
  sql << "DELETE FROM expiry_logs WHERE id <= :last", soci::use(last_extra_id);
}

// SQLite settings of the connection running a pass, put back when it ends (it returns to
// the pool).
class PassSettings {
 public:
  PassSettings(soci::session& sql, bool sqlite) : sql_(sql), sqlite_(sqlite) {
    if (!sqlite_) {
      return;
    }
    sql_ << "PRAGMA secure_delete", soci::into(secure_delete_);
    sql_ << "PRAGMA secure_delete = FAST";
    sql_ << "PRAGMA cache_size = " + std::to_string(-kExpiryCacheKib);
  }
  ~PassSettings() {
    if (!sqlite_) {
      return;
    }
    try {
      sql_ << "PRAGMA cache_size = -2000";  // SQLite's default
      sql_ << "PRAGMA secure_delete = " + std::string(secure_delete_ == 2 ? "FAST"
                                                      : secure_delete_    ? "ON"
                                                                          : "OFF");
    } catch (...) {  // NOLINT(bugprone-empty-catch): an error of the pass is on its way
    }
  }
  PassSettings(const PassSettings&) = delete;
  PassSettings& operator=(const PassSettings&) = delete;

 private:
  soci::session& sql_;
  bool sqlite_;
  int secure_delete_ = 1;
};

// Takes up to kSearchPurgeChunk queued entries of deleted pastes out of SQLite's trigram
// index, inside the caller's write transaction; returns how many (0: none left).
long long purge_search_chunk(soci::session& sql) {
  long long first = 0, last = 0, count = 0;
  sql << "SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0), COUNT(*) FROM (SELECT id FROM "
         "pastes_search_stale ORDER BY id LIMIT :n)",
      soci::use(kSearchPurgeChunk, "n"), soci::into(first), soci::into(last), soci::into(count);
  if (count > 0) {
    // The stored text is what the index holds for these ids; every id in the range is
    // queued, so both statements see the same rows.
    sql << "INSERT INTO pastes_search (pastes_search, rowid, title, body) SELECT 'delete', id, "
           "title, body FROM pastes_search_stale WHERE id BETWEEN :first AND :last",
        soci::use(first, "first"), soci::use(last, "last");
    sql << "DELETE FROM pastes_search_stale WHERE id BETWEEN :first AND :last",
        soci::use(first, "first"), soci::use(last, "last");
  }
  return count;
}

}  // namespace

std::vector<core::ExpiryLog> read_expiry_logs(soci::session& sql, int limit, int offset) {
  std::vector<core::ExpiryLog> logs;
  const long long count = std::max(limit, 0);
  const long long skip = std::max(offset, 0);
  if (count == 0) {
    return logs;
  }
  LogRow row;
  soci::statement st(sql);
  row.bind(st);
  st.exchange(soci::use(count, "limit"));
  st.exchange(soci::use(skip, "offset"));
  prepare(st,
          "SELECT id, expired_ids, timestamp, user_cutoff, paste_count, reclaimed_space, "
          "user_count, completed FROM expiry_logs ORDER BY id DESC LIMIT :limit OFFSET :offset");
  if (st.execute(true)) {
    do {
      logs.push_back(row.log());
    } while (st.fetch());
  }
  return logs;
}

ExpiryResult SociStore::expire(core::Micros now, core::Micros anonymous_cutoff, int keep_logs) {
  return guarded("expire", [&] {
    const long long now_value = now, cutoff = anonymous_cutoff;
    ExpiryResult result;
    // Deleted in transactions of about kExpiryTransactionTime each, so that other writers
    // wait for one of them at most rather than for the whole pass (readers never wait).
    std::vector<long long> doomed;
    {
      soci::session sql(pool_);
      long long id = 0;
      soci::statement st = (sql.prepare << kDoomedIds, soci::use(now_value, "now"),
                            soci::use(cutoff, "cutoff"), soci::into(id));
      if (st.execute(true)) {
        do {
          doomed.push_back(id);
        } while (st.fetch());
      }
    }
    std::sort(doomed.begin(), doomed.end());
    doomed.erase(std::unique(doomed.begin(), doomed.end()), doomed.end());
    using Clock = std::chrono::steady_clock;
    const bool sqlite = dialect_.search_index == SqlDialect::SearchIndex::kFts5Trigram;
    {
      // One connection for the whole pass. On SQLite, three quarters of a pass of 100,000
      // pastes was the kernel copying pages: the deletes touch the same index pages again
      // and again, which the default 2 MB cache read back from the file and spilled to the
      // WAL, hence a larger cache; and Debian's SQLite zeroes every freed page
      // (secure_delete = 1), writing it out once more. FAST still zeroes what is removed
      // from the pages that stay in use, not the pages that go to the free list, which
      // the next writes reuse (14 s -> 6 s on a loaded machine).
      // With a single pooled connection, a writer holding the mutex would wait for ours
      // forever, and with one besides the writer's, readers would wait for the whole
      // pass: then it is taken for each transaction only.
      const bool keep_connection = pool_size_ - (writer_position_ ? 1 : 0) > 1;
      std::optional<soci::session> sql;
      std::optional<PassSettings> settings;  // put back before the connection goes
      // Runs step() in write transactions of about kExpiryTransactionTime while it returns
      // true and time_left() does; other writers wait for one transaction at most.
      auto in_transactions = [&](auto&& step, auto&& time_left) {
        bool more = true;
        while (more && time_left()) {
          std::unique_lock<std::mutex> lock(write_mutex_);
          if (!sql) {
            sql.emplace(pool_);
            settings.emplace(*sql, sqlite);
          }
          Transaction transaction(*sql, dialect_.begin_write);
          if (!dialect_.lock_writes.empty()) {
            *sql << std::string(dialect_.lock_writes);
          }
          const auto started = Clock::now();
          do {
            more = step();
          } while (more && Clock::now() - started < kExpiryTransactionTime && time_left());
          transaction.commit();
          if (!keep_connection) {
            settings.reset();
            sql.reset();
          }
        }
      };
      std::size_t next = 0;
      in_transactions(
          [&] {
            if (next >= doomed.size()) {
              return false;
            }
            const std::size_t end = std::min(next + kExpiryChunk, doomed.size());
            long long first = doomed[next], last = doomed[end - 1];
            next = end;
            // Read again under the write lock: another process may have expired some.
            long long id = 0, size = 0;
            soci::statement st =
                (sql->prepare << "SELECT id, size" + kDoomedInRange + " ORDER BY id",
                 soci::use(first, "first"), soci::use(last, "last"), soci::use(now_value, "now"),
                 soci::use(cutoff, "cutoff"), soci::into(id), soci::into(size));
            if (st.execute(true)) {
              do {
                result.expired_paste_ids.push_back(id);
                result.reclaimed_bytes += size;
              } while (st.fetch());
            }
            *sql << "DELETE" + kDoomedInRange, soci::use(first, "first"), soci::use(last, "last"),
                soci::use(now_value, "now"), soci::use(cutoff, "cutoff");
            return next < doomed.size();
          },
          [] { return true; });
      if (sqlite) {
        // The index entries of these pastes and of others deleted since the last pass,
        // for a bounded time: what is left waits for the next pass.
        const auto purge_until = Clock::now() + kSearchPurgeTime;
        in_transactions([&] { return purge_search_chunk(*sql) > 0; },
                        [&] { return Clock::now() < purge_until; });
      }
      settings.reset();
    }

    WriteScope write(*this);
    soci::session& sql = write.sql();
    // Pastes of these users created since the list was read are deleted by the cascade.
    {
      soci::statement st =
          (sql.prepare << std::string(kDeleteStaleAnonymousUsers), soci::use(cutoff));
      st.execute(true);
      result.users_pruned = st.get_affected_rows();  // their sessions and tokens cascade
    }
    sql << "DELETE FROM sessions WHERE expires <= :now", soci::use(now_value);

    core::ExpiryLog& log = result.log;
    for (const core::Id id : result.expired_paste_ids) {
      append_ids(log.expired_ids, std::to_string(id));
    }
    log.timestamp = now;
    log.user_cutoff = anonymous_cutoff;
    log.paste_count = static_cast<std::int64_t>(result.expired_paste_ids.size());
    log.reclaimed_space = result.reclaimed_bytes;
    log.user_count = result.users_pruned;
    log.completed = true;
    const long long paste_count = log.paste_count, space = log.reclaimed_space,
                    user_count = log.user_count;
    long long log_id = 0;
    sql << "INSERT INTO expiry_logs (expired_ids, timestamp, user_cutoff, paste_count, "
           "reclaimed_space, user_count, completed) VALUES (:ids, :timestamp, :cutoff, "
           ":pastes, :space, :users, 1) RETURNING id",
        soci::use(log.expired_ids), soci::use(now_value), soci::use(cutoff), soci::use(paste_count),
        soci::use(space), soci::use(user_count), soci::into(log_id);
    log.id = log_id;
    fold_logs(sql, keep_logs);
    write.commit();
    return result;
  });
}

std::vector<core::ExpiryLog> SociStore::expiry_logs(int limit, int offset) {
  return guarded("expiry_logs", [&] {
    soci::session sql(pool_);
    return read_expiry_logs(sql, limit, offset);
  });
}

}  // namespace sillypaste::store
