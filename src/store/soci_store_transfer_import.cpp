// SociStore: the bulk import transaction (rows written with their ids).
#include "store/casefold.hpp"
#include "store/soci_store.hpp"
#include "store/soci_store_detail.hpp"
#include "store/soci_store_transfer_rows.hpp"

namespace sillypaste::store {
namespace {

using namespace transfer_rows;

template <typename Row, typename Key>
[[nodiscard]] auto fetch_one(soci::session& sql, std::string_view columns, std::string_view table,
                             std::string_view condition, const Key& key)
    -> std::optional<decltype(Row().get())> {
  Row row;
  soci::statement st(sql);
  row.bind(st);
  st.exchange(soci::use(key, "key"));
  prepare(st, "SELECT " + std::string(columns) + " FROM " + std::string(table) + " WHERE " +
                  std::string(condition));
  if (!st.execute(true)) {
    return std::nullopt;
  }
  return row.get();
}

class SociBulkImport final : public BulkImport {
 public:
  SociBulkImport(SociStore& store, const SqlDialect& dialect)
      : write_(store), dialect_(dialect) {}

  TableCounts counts() override {
    return guarded("import", [&] {
      TableCounts counts;
      sql() << "SELECT COUNT(*) FROM users", soci::into(counts.users);
      sql() << "SELECT COUNT(*) FROM tokens", soci::into(counts.tokens);
      sql() << "SELECT COUNT(*) FROM languages", soci::into(counts.languages);
      sql() << "SELECT COUNT(*) FROM pastes", soci::into(counts.pastes);
      sql() << "SELECT COUNT(*) FROM expiry_logs", soci::into(counts.expiry_logs);
      return counts;
    });
  }

  void delete_everything() override {
    guarded("import: emptying the database", [&] {
      for (const char* table :
           {"sessions", "tokens", "pastes", "users", "languages", "expiry_logs"}) {
        sql() << "DELETE FROM " + std::string(table);
      }
    });
  }

  core::Id insert_user(const core::User& user) override {
    return guarded("import: user " + std::to_string(user.id), [&] {
      const long long joined = user.date_joined, last_login = user.last_login.value_or(0);
      const int staff = user.is_staff, superuser = user.is_superuser, active = user.is_active,
                anonymous = user.is_anonymous;
      const std::string lower = fold_case(user.username);
      soci::indicator last_login_ind = null_if(!user.last_login);
      return insert(
          "users", user.id,
          "username, username_lower, password_hash, email, first_name, last_name, is_staff, "
          "is_superuser, is_active, is_anonymous, date_joined, last_login",
          ":username, :lower, :hash, :email, :first, :last, :staff, :superuser, :active, "
          ":anonymous, :joined, :last_login",
          [&](soci::statement& st) {
            st.exchange(soci::use(user.username, "username"));
            st.exchange(soci::use(lower, "lower"));
            st.exchange(soci::use(user.password_hash, "hash"));
            st.exchange(soci::use(user.email, "email"));
            st.exchange(soci::use(user.first_name, "first"));
            st.exchange(soci::use(user.last_name, "last"));
            st.exchange(soci::use(staff, "staff"));
            st.exchange(soci::use(superuser, "superuser"));
            st.exchange(soci::use(active, "active"));
            st.exchange(soci::use(anonymous, "anonymous"));
            st.exchange(soci::use(joined, "joined"));
            st.exchange(soci::use(last_login, last_login_ind, "last_login"));
          });
    });
  }

  void insert_token(const TokenRow& token) override {
    guarded("import: token of user " + std::to_string(token.user_id), [&] {
      const long long user_id = token.user_id, created = token.created;
      sql() << "INSERT INTO tokens (key, user_id, created) VALUES (:key, :user_id, :created)",
          soci::use(token.key), soci::use(user_id), soci::use(created);
    });
  }

  core::Id insert_language(const core::Language& language) override {
    return guarded("import: language " + language.name, [&] {
      return insert("languages", language.id, "name", ":name", [&](soci::statement& st) {
        st.exchange(soci::use(language.name, "name"));
      });
    });
  }

  core::Id insert_paste(const core::Paste& paste) override {
    return guarded("import: paste " + std::to_string(paste.id), [&] {
      const long long timestamp = paste.timestamp, expiry = paste.expiry.value_or(0),
                      hits = paste.hits, size = paste.size, author = paste.author_id.value_or(0),
                      language = paste.language_id.value_or(0);
      const int is_private = paste.is_private, legacy = paste.legacy_id_access,
                burn = paste.burn, freeze = paste.freeze_hits;
      const std::string rendered = paste.rendered_html.value_or("");
      soci::indicator expiry_ind = null_if(!paste.expiry),
                      secret_ind = null_if(paste.secret.empty()),
                      author_ind = null_if(!paste.author_id),
                      language_ind = null_if(!paste.language_id),
                      rendered_ind = null_if(!paste.rendered_html);
      return insert(
          "pastes", paste.id,
          "title, body, timestamp, expiry, is_private, secret, legacy_id_access, burn, hits, "
          "freeze_hits, size, author_id, language_id, body_html, rendered_html",
          ":title, :body, :timestamp, :expiry, :private, :secret, :legacy, :burn, :hits, "
          ":freeze, :size, :author, :language, :body_html, :rendered",
          [&](soci::statement& st) {
            st.exchange(soci::use(paste.title, "title"));
            st.exchange(soci::use(paste.body, "body"));
            st.exchange(soci::use(timestamp, "timestamp"));
            st.exchange(soci::use(expiry, expiry_ind, "expiry"));
            st.exchange(soci::use(is_private, "private"));
            st.exchange(soci::use(paste.secret, secret_ind, "secret"));
            st.exchange(soci::use(legacy, "legacy"));
            st.exchange(soci::use(burn, "burn"));
            st.exchange(soci::use(hits, "hits"));
            st.exchange(soci::use(freeze, "freeze"));
            st.exchange(soci::use(size, "size"));
            st.exchange(soci::use(author, author_ind, "author"));
            st.exchange(soci::use(language, language_ind, "language"));
            st.exchange(soci::use(paste.body_html, "body_html"));
            st.exchange(soci::use(rendered, rendered_ind, "rendered"));
          });
    });
  }

  core::Id insert_expiry_log(const core::ExpiryLog& log) override {
    return guarded("import: expiry log " + std::to_string(log.id), [&] {
      const long long timestamp = log.timestamp, cutoff = log.user_cutoff.value_or(0),
                      paste_count = log.paste_count, reclaimed = log.reclaimed_space,
                      user_count = log.user_count;
      const int completed = log.completed;
      soci::indicator cutoff_ind = null_if(!log.user_cutoff);
      return insert(
          "expiry_logs", log.id,
          "expired_ids, timestamp, user_cutoff, paste_count, reclaimed_space, user_count, "
          "completed",
          ":expired_ids, :timestamp, :cutoff, :paste_count, :reclaimed, :user_count, :completed",
          [&](soci::statement& st) {
            st.exchange(soci::use(log.expired_ids, "expired_ids"));
            st.exchange(soci::use(timestamp, "timestamp"));
            st.exchange(soci::use(cutoff, cutoff_ind, "cutoff"));
            st.exchange(soci::use(paste_count, "paste_count"));
            st.exchange(soci::use(reclaimed, "reclaimed"));
            st.exchange(soci::use(user_count, "user_count"));
            st.exchange(soci::use(completed, "completed"));
          });
    });
  }

  std::optional<core::User> user(core::Id id) override {
    return guarded("import", [&] {
      const long long key = id;
      return fetch_one<UserRow>(sql(), kUserColumns, "users", "id = :key", key);
    });
  }

  std::optional<TokenRow> token(std::string_view key) override {
    return guarded("import", [&] {
      const std::string text(key);
      return fetch_one<TokenRowIn>(sql(), kTokenColumns, "tokens", "key = :key", text);
    });
  }

  std::optional<core::Language> language(std::string_view name) override {
    return guarded("import", [&] {
      const std::string folded = fold_case(name);
      return fetch_one<LanguageRow>(
          sql(), kLanguageColumns, "languages",
          std::string(dialect_.fold_function) + "(name) = :key ORDER BY id LIMIT 1", folded);
    });
  }

  std::optional<core::Paste> paste(core::Id id) override {
    return guarded("import", [&] {
      const long long key = id;
      return fetch_one<FullPasteRow>(sql(), kFullPasteColumns, "pastes", "id = :key", key);
    });
  }

  std::optional<core::ExpiryLog> expiry_log(core::Id id) override {
    return guarded("import", [&] {
      const long long key = id;
      return fetch_one<LogRow>(sql(), kLogColumns, "expiry_logs", "id = :key", key);
    });
  }

  bool has_expiry_log(core::Micros timestamp, std::string_view expired_ids) override {
    return guarded("import", [&] {
      const long long time = timestamp;
      const std::string ids(expired_ids);
      long long count = 0;
      sql() << "SELECT COUNT(*) FROM expiry_logs WHERE timestamp = :t AND expired_ids = :ids",
          soci::use(time), soci::use(ids), soci::into(count);
      return count > 0;
    });
  }

  void set_sequences(const TableCounts& at_least) override {
    guarded("import: id sequences", [&] {
      set_sequence(sql(), dialect_, "users", at_least.users);
      set_sequence(sql(), dialect_, "languages", at_least.languages);
      set_sequence(sql(), dialect_, "pastes", at_least.pastes);
      set_sequence(sql(), dialect_, "expiry_logs", at_least.expiry_logs);
    });
  }

  // SQLite: the imported pastes enter the trigram index here, in one pass, so that a serve
  // started on the database has no backlog to work off (migration 0005).
  void commit() override {
    guarded("import: commit", [&] {
      if (dialect_.search_index == SqlDialect::SearchIndex::kFts5Trigram) {
        index_pending_pastes(sql(), 0);
      }
      write_.commit();
    });
  }

 private:
  [[nodiscard]] soci::session& sql() { return write_.sql(); }

  // INSERT INTO table (columns) VALUES (values) with the id when it is set, else with a
  // new one; bind(st) adds the other values. Returns the row's id.
  template <typename Bind>
  core::Id insert(std::string_view table, core::Id id, std::string_view columns,
                  std::string_view values, Bind&& bind) {
    const long long given = id;
    long long returned = 0;
    {  // SQLite cannot commit while a RETURNING statement is alive
      soci::statement st(sql());
      bind(st);
      if (id != 0) {
        st.exchange(soci::use(given, "id"));
      }
      st.exchange(soci::into(returned));
      prepare(st, "INSERT INTO " + std::string(table) + " (" + (id != 0 ? "id, " : "") +
                      std::string(columns) + ") VALUES (" + (id != 0 ? ":id, " : "") +
                      std::string(values) + ") RETURNING id");
      st.execute(true);
    }
    return returned;
  }

  WriteScope write_;
  const SqlDialect& dialect_;
};

}  // namespace

std::unique_ptr<BulkImport> SociStore::begin_import() {
  return guarded("import", [&]() -> std::unique_ptr<BulkImport> {
    return std::make_unique<SociBulkImport>(*this, dialect_);
  });
}

}  // namespace sillypaste::store
