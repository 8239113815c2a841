// SociStore: whole-table reads for export, and id sequences.
#include <algorithm>

#include "store/soci_store.hpp"
#include "store/soci_store_detail.hpp"
#include "store/soci_store_transfer_rows.hpp"

namespace sillypaste::store {
namespace transfer_rows {

void UserRow::bind(soci::statement& st) {
  st.exchange(soci::into(id_));
  st.exchange(soci::into(username_));
  st.exchange(soci::into(hash_));
  st.exchange(soci::into(email_));
  st.exchange(soci::into(first_));
  st.exchange(soci::into(last_));
  st.exchange(soci::into(staff_));
  st.exchange(soci::into(superuser_));
  st.exchange(soci::into(active_));
  st.exchange(soci::into(anonymous_));
  st.exchange(soci::into(date_joined_));
  st.exchange(soci::into(last_login_, last_login_ind_));
}

core::User UserRow::get() const {
  core::User user;
  user.id = id_;
  user.username = username_;
  user.password_hash = hash_;
  user.email = email_;
  user.first_name = first_;
  user.last_name = last_;
  user.is_staff = staff_ != 0;
  user.is_superuser = superuser_ != 0;
  user.is_active = active_ != 0;
  user.is_anonymous = anonymous_ != 0;
  user.date_joined = date_joined_;
  user.last_login = optional_of<core::Micros>(last_login_, last_login_ind_);
  return user;
}

void TokenRowIn::bind(soci::statement& st) {
  st.exchange(soci::into(key_));
  st.exchange(soci::into(user_id_));
  st.exchange(soci::into(created_));
}

void LanguageRow::bind(soci::statement& st) {
  st.exchange(soci::into(id_));
  st.exchange(soci::into(name_));
}

void FullPasteRow::bind(soci::statement& st) {
  st.exchange(soci::into(id_));
  st.exchange(soci::into(title_));
  st.exchange(soci::into(body_));
  st.exchange(soci::into(timestamp_));
  st.exchange(soci::into(expiry_, expiry_ind_));
  st.exchange(soci::into(private_));
  st.exchange(soci::into(secret_, secret_ind_));
  st.exchange(soci::into(legacy_));
  st.exchange(soci::into(burn_));
  st.exchange(soci::into(hits_));
  st.exchange(soci::into(freeze_));
  st.exchange(soci::into(size_));
  st.exchange(soci::into(author_, author_ind_));
  st.exchange(soci::into(language_, language_ind_));
}

core::Paste FullPasteRow::get() const {
  core::Paste paste;
  paste.id = id_;
  paste.title = title_;
  paste.body = body_;
  paste.timestamp = timestamp_;
  paste.expiry = optional_of<core::Micros>(expiry_, expiry_ind_);
  paste.is_private = private_ != 0;
  paste.secret = secret_ind_ == soci::i_ok ? secret_ : std::string();
  paste.legacy_id_access = legacy_ != 0;
  paste.burn = burn_ != 0;
  paste.hits = hits_;
  paste.freeze_hits = freeze_ != 0;
  paste.size = size_;
  paste.author_id = optional_of<core::Id>(author_, author_ind_);
  paste.language_id = optional_of<core::Id>(language_, language_ind_);
  return paste;
}

void LogRow::bind(soci::statement& st) {
  st.exchange(soci::into(id_));
  st.exchange(soci::into(expired_ids_, expired_ids_ind_));
  st.exchange(soci::into(timestamp_));
  st.exchange(soci::into(cutoff_, cutoff_ind_));
  st.exchange(soci::into(paste_count_));
  st.exchange(soci::into(reclaimed_));
  st.exchange(soci::into(user_count_));
  st.exchange(soci::into(completed_));
}

core::ExpiryLog LogRow::get() const {
  core::ExpiryLog log;
  log.id = id_;
  log.expired_ids = expired_ids_ind_ == soci::i_ok ? expired_ids_ : std::string();
  log.timestamp = timestamp_;
  log.user_cutoff = optional_of<core::Micros>(cutoff_, cutoff_ind_);
  log.paste_count = paste_count_;
  log.reclaimed_space = reclaimed_;
  log.user_count = user_count_;
  log.completed = completed_ != 0;
  return log;
}

// TODO(postgresql): checked against PostgreSQL only once its dialect lands; the queries
// are the standard pg_get_serial_sequence / pg_sequence_last_value / setval ones.
long long read_sequence(soci::session& sql, const SqlDialect& dialect, const std::string& table) {
  long long value = 0;
  soci::indicator indicator = soci::i_null;
  if (dialect.name == "sqlite") {
    sql << "SELECT MAX(seq) FROM sqlite_sequence WHERE name = :t", soci::use(table),
        soci::into(value, indicator);
  } else {
    sql << "SELECT pg_sequence_last_value(CAST(pg_get_serial_sequence(:t, 'id') AS regclass))",
        soci::use(table), soci::into(value, indicator);
  }
  return indicator == soci::i_ok ? value : 0;
}

void set_sequence(soci::session& sql, const SqlDialect& dialect, const std::string& table,
                  long long at_least) {
  long long largest = 0;
  soci::indicator indicator = soci::i_null;
  // The table name is one of ours, never user input.
  sql << "SELECT MAX(id) FROM " + table, soci::into(largest, indicator);
  const long long value = std::max(at_least, indicator == soci::i_ok ? largest : 0);
  if (dialect.name == "sqlite") {
    sql << "DELETE FROM sqlite_sequence WHERE name = :t", soci::use(table);
    if (value > 0) {
      sql << "INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :v)", soci::use(table),
          soci::use(value);
    }
    return;
  }
  long long ignored = 0;
  const int is_called = value > 0 ? 1 : 0;
  const long long next = std::max(value, 1LL);
  sql << "SELECT setval(pg_get_serial_sequence(:t, 'id'), :v, :called = 1)", soci::use(table),
      soci::use(next), soci::use(is_called), soci::into(ignored);
}

}  // namespace transfer_rows

namespace {

using namespace transfer_rows;

// Rows are read in pages by id (keyset pagination), so no backend ever holds a whole
// table in memory.
constexpr long long kPageRows = 500;

template <typename Row, typename Emit>
void stream_table(soci::session& sql, std::string_view columns, std::string_view table,
                  std::string_view key, Emit&& emit) {
  long long after = -1;  // ids start at 1; fits PostgreSQL integer columns
  for (;;) {
    Row row;
    soci::statement st(sql);
    row.bind(st);
    st.exchange(soci::use(after, "after"));
    st.exchange(soci::use(kPageRows, "limit"));
    prepare(st, "SELECT " + std::string(columns) + " FROM " + std::string(table) + " WHERE " +
                    std::string(key) + " > :after ORDER BY " + std::string(key) +
                    " LIMIT :limit");
    long long rows = 0;
    if (st.execute(true)) {
      do {
        emit(row.get());
        after = row.id();
        ++rows;
      } while (st.fetch());
    }
    if (rows < kPageRows) {
      return;
    }
  }
}

[[nodiscard]] long long count_rows(soci::session& sql, std::string_view table) {
  long long count = 0;
  sql << "SELECT COUNT(*) FROM " + std::string(table), soci::into(count);
  return count;
}

}  // namespace

void SociStore::export_rows(RowVisitor& visitor) {
  guarded("export", [&] {
    soci::session sql(pool_);
    Transaction snapshot(sql, dialect_.begin_read);
    TableCounts counts{count_rows(sql, "users"), count_rows(sql, "tokens"),
                       count_rows(sql, "languages"), count_rows(sql, "pastes"),
                       count_rows(sql, "expiry_logs")};
    TableCounts sequences{read_sequence(sql, dialect_, "users"), 0,
                          read_sequence(sql, dialect_, "languages"),
                          read_sequence(sql, dialect_, "pastes"),
                          read_sequence(sql, dialect_, "expiry_logs")};
    visitor.begin(counts, sequences);
    stream_table<UserRow>(sql, kUserColumns, "users", "id",
                          [&](const core::User& row) { visitor.user(row); });
    stream_table<TokenRowIn>(sql, kTokenColumns, "tokens", "user_id",
                             [&](const TokenRow& row) { visitor.token(row); });
    stream_table<LanguageRow>(sql, kLanguageColumns, "languages", "id",
                              [&](const core::Language& row) { visitor.language(row); });
    stream_table<FullPasteRow>(sql, kFullPasteColumns, "pastes", "id",
                           [&](const core::Paste& row) { visitor.paste(row); });
    stream_table<LogRow>(sql, kLogColumns, "expiry_logs", "id",
                         [&](const core::ExpiryLog& row) { visitor.expiry_log(row); });
    snapshot.commit();
  });
}

}  // namespace sillypaste::store
