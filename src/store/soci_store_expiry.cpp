// SociStore: the expiry pass and its logs.
#include <algorithm>
#include <string>
#include <vector>

#include "store/soci_store.hpp"
#include "store/soci_store_detail.hpp"

namespace sillypaste::store {
namespace {

// Pastes to delete: expired ones and those of anonymous users about to be pruned.
constexpr std::string_view kDoomedPastes =
    " FROM pastes WHERE ((expiry IS NOT NULL AND expiry <= :now) OR author_id IN "
    "(SELECT id FROM users WHERE is_anonymous = 1 AND COALESCE(last_login, date_joined) < "
    ":cutoff))";
// Pastes deleted in one write transaction.
constexpr std::size_t kExpiryBatch = 500;
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
    // Deleted in batches of consecutive doomed ids, a transaction each, so that other
    // writers wait for one batch at most rather than for the whole pass.
    std::vector<long long> doomed;
    {
      soci::session sql(pool_);
      long long id = 0;
      soci::statement st = (sql.prepare << "SELECT id" + std::string(kDoomedPastes) + " ORDER BY id",
                            soci::use(now_value), soci::use(cutoff), soci::into(id));
      if (st.execute(true)) {
        do {
          doomed.push_back(id);
        } while (st.fetch());
      }
    }
    const std::string in_batch =
        std::string(kDoomedPastes) + " AND id BETWEEN :first AND :last";
    for (std::size_t start = 0; start < doomed.size(); start += kExpiryBatch) {
      const long long first = doomed[start];
      const long long last = doomed[std::min(start + kExpiryBatch, doomed.size()) - 1];
      WriteScope write(*this);
      soci::session& sql = write.sql();
      // Read again under the write lock: another process may have expired some already.
      long long id = 0, size = 0;
      soci::statement st = (sql.prepare << "SELECT id, size" + in_batch + " ORDER BY id",
                            soci::use(now_value), soci::use(cutoff), soci::use(first),
                            soci::use(last), soci::into(id), soci::into(size));
      if (st.execute(true)) {
        do {
          result.expired_paste_ids.push_back(id);
          result.reclaimed_bytes += size;
        } while (st.fetch());
      }
      sql << "DELETE" + in_batch, soci::use(now_value), soci::use(cutoff), soci::use(first),
          soci::use(last);
      write.commit();
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
