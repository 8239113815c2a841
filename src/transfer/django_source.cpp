#include "transfer/django_source.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include <limits>

#include "core/time.hpp"
#include "store/sql_dialect.hpp"
#include "store/store.hpp"

// Declared here rather than through soci-postgresql.h, which needs libpq's headers.
extern "C" soci::backend_factory const* factory_postgresql();

namespace sillypaste::transfer {
namespace {

constexpr long long kPageRows = 500;

[[nodiscard]] std::string sqlite_path(std::string_view url) {
  constexpr std::string_view prefix = "sqlite:///";
  std::string path(url.starts_with(prefix) ? url.substr(prefix.size()) : url);
  if (path.empty() || path.find('"') != std::string::npos) {
    throw store::StoreError("not a usable SQLite path: " + std::string(url));
  }
  return path;
}

template <typename F>
auto guarded(std::string_view what, F&& f) -> decltype(f()) {
  try {
    return std::forward<F>(f)();
  } catch (const soci::soci_error& e) {
    throw store::StoreError("Django database: " + std::string(what) + ": " + e.what());
  }
}

[[nodiscard]] core::Micros required_time(const std::string& text, std::string_view what) {
  const auto t = parse_django_time(text);
  if (!t) {
    throw store::StoreError("Django database: " + std::string(what) + ": bad time \"" + text +
                            "\"");
  }
  return *t;
}

[[nodiscard]] std::optional<core::Micros> optional_time(const std::string& text,
                                                        soci::indicator indicator,
                                                        std::string_view what) {
  if (indicator != soci::i_ok) {
    return std::nullopt;
  }
  return required_time(text, what);
}

// Runs `select` (which ends in "WHERE <key> > :after ORDER BY <key> LIMIT :limit") page
// by page; bind(st) adds the into()s, row() handles one row and returns its key.
template <typename Bind, typename Row>
void paged(soci::session& sql, const std::string& select, Bind&& bind, Row&& row) {
  long long after = -1;  // ids start at 1; fits PostgreSQL integer columns
  for (;;) {
    soci::statement st(sql);
    bind(st);
    st.exchange(soci::use(after, "after"));
    st.exchange(soci::use(kPageRows, "limit"));
    st.alloc();
    st.prepare(select);
    st.define_and_bind();
    long long rows = 0;
    if (st.execute(true)) {
      do {
        after = row();
        ++rows;
      } while (st.fetch());
    }
    if (rows < kPageRows) {
      return;
    }
  }
}

}  // namespace

std::optional<core::Micros> parse_django_time(std::string_view text) {
  std::string iso(text);
  if (iso.size() > 10 && iso[10] == ' ') {
    iso[10] = 'T';
  }
  if (iso.ends_with("+00:00")) {
    iso.resize(iso.size() - 6);
  }
  if (!iso.ends_with("Z")) {
    iso += 'Z';
  }
  return core::parse_iso8601(iso);
}

DjangoSource::DjangoSource(std::string_view url) {
  postgres_ = url.starts_with("postgres://") || url.starts_with("postgresql://");
  guarded("cannot open it", [&] {
    if (postgres_) {
      sql_.open(*factory_postgresql(), store::postgresql_connect_string(url));
    } else {
      sql_.open(*soci::factory_sqlite3(), "db=\"" + sqlite_path(url) + "\" timeout=5");
    }
    long long pastes = 0;
    sql_ << "SELECT COUNT(*) FROM core_paste", soci::into(pastes);  // is it Sillypaste's?
  });
}

std::string DjangoSource::time_text(std::string_view column) const {
  if (postgres_) {
    return "to_char(" + std::string(column) +
           " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')";
  }
  return std::string(column);
}

long long DjangoSource::sequence(const std::string& table) {
  long long value = 0;
  soci::indicator indicator = soci::i_null;
  if (postgres_) {
    sql_ << "SELECT pg_sequence_last_value(CAST(pg_get_serial_sequence(:t, 'id') AS regclass))",
        soci::use(table), soci::into(value, indicator);
  } else {
    sql_ << "SELECT MAX(seq) FROM sqlite_sequence WHERE name = :t", soci::use(table),
        soci::into(value, indicator);
  }
  return indicator == soci::i_ok ? value : 0;
}

store::TableCounts DjangoSource::counts() {
  return guarded("counting rows", [&] {
    store::TableCounts counts;
    sql_ << "SELECT COUNT(*) FROM auth_user", soci::into(counts.users);
    sql_ << "SELECT COUNT(*) FROM authtoken_token", soci::into(counts.tokens);
    sql_ << "SELECT COUNT(*) FROM core_language", soci::into(counts.languages);
    sql_ << "SELECT COUNT(*) FROM core_paste", soci::into(counts.pastes);
    sql_ << "SELECT COUNT(*) FROM core_expirylog", soci::into(counts.expiry_logs);
    return counts;
  });
}

store::TableCounts DjangoSource::sequences() {
  return guarded("reading id sequences", [&] {
    store::TableCounts s;
    s.users = sequence("auth_user");
    s.pastes = sequence("core_paste");
    s.expiry_logs = sequence("core_expirylog");
    return s;
  });
}

std::map<core::Id, std::string> DjangoSource::languages() {
  return guarded("reading core_language", [&] {
    std::map<core::Id, std::string> result;
    long long id = 0;
    std::string name;
    soci::statement st =
        (sql_.prepare << "SELECT id, name FROM core_language", soci::into(id), soci::into(name));
    if (st.execute(true)) {
      do {
        result[id] = name;
      } while (st.fetch());
    }
    return result;
  });
}

void DjangoSource::each_user(const std::function<void(const core::User&)>& visit) {
  guarded("reading auth_user", [&] {
    long long id = 0;
    int staff = 0, superuser = 0, active = 0, lazy = 0;
    std::string username, password, email, first, last, joined, last_login;
    soci::indicator last_login_ind = soci::i_null;
    paged(
        sql_,
        "SELECT u.id, u.username, u.password, u.email, u.first_name, u.last_name, "
        "CASE WHEN u.is_staff THEN 1 ELSE 0 END, CASE WHEN u.is_superuser THEN 1 ELSE 0 END, "
        "CASE WHEN u.is_active THEN 1 ELSE 0 END, "
        "CASE WHEN EXISTS (SELECT 1 FROM lazysignup_lazyuser l WHERE l.user_id = u.id) "
        "THEN 1 ELSE 0 END, " +
            time_text("u.date_joined") + ", " + time_text("u.last_login") +
            " FROM auth_user u WHERE u.id > :after ORDER BY u.id LIMIT :limit",
        [&](soci::statement& st) {
          st.exchange(soci::into(id));
          st.exchange(soci::into(username));
          st.exchange(soci::into(password));
          st.exchange(soci::into(email));
          st.exchange(soci::into(first));
          st.exchange(soci::into(last));
          st.exchange(soci::into(staff));
          st.exchange(soci::into(superuser));
          st.exchange(soci::into(active));
          st.exchange(soci::into(lazy));
          st.exchange(soci::into(joined));
          st.exchange(soci::into(last_login, last_login_ind));
        },
        [&] {
          core::User user;
          user.id = id;
          user.username = username;
          user.password_hash = password;
          user.email = email;
          user.first_name = first;
          user.last_name = last;
          user.is_staff = staff != 0;
          user.is_superuser = superuser != 0;
          user.is_active = active != 0;
          user.is_anonymous = lazy != 0;
          user.date_joined = required_time(joined, "auth_user.date_joined");
          user.last_login = optional_time(last_login, last_login_ind, "auth_user.last_login");
          visit(user);
          return id;
        });
  });
}

void DjangoSource::each_token(const std::function<void(const store::TokenRow&)>& visit) {
  guarded("reading authtoken_token", [&] {
    long long user_id = 0;
    std::string key, created;
    paged(
        sql_,
        "SELECT key, user_id, " + time_text("created") +
            " FROM authtoken_token WHERE user_id > :after ORDER BY user_id LIMIT :limit",
        [&](soci::statement& st) {
          st.exchange(soci::into(key));
          st.exchange(soci::into(user_id));
          st.exchange(soci::into(created));
        },
        [&] {
          visit({key, user_id, required_time(created, "authtoken_token.created")});
          return user_id;
        });
  });
}

void DjangoSource::each_paste(const std::function<void(const core::Paste&)>& visit) {
  guarded("reading core_paste", [&] {
    long long id = 0, hits = 0, size = 0, author = 0, language = 0;
    int freeze = 0, is_private = 0;
    std::string title, body, timestamp, expiry;
    soci::indicator expiry_ind = soci::i_null, author_ind = soci::i_null,
                    language_ind = soci::i_null;
    paged(
        sql_,
        "SELECT id, title, body, " + time_text("timestamp") + ", " + time_text("expiry") +
            ", hits, size, author_id, language_id, CASE WHEN freeze_hits THEN 1 ELSE 0 END, "
            "CASE WHEN private THEN 1 ELSE 0 END FROM core_paste WHERE id > :after "
            "ORDER BY id LIMIT :limit",
        [&](soci::statement& st) {
          st.exchange(soci::into(id));
          st.exchange(soci::into(title));
          st.exchange(soci::into(body));
          st.exchange(soci::into(timestamp));
          st.exchange(soci::into(expiry, expiry_ind));
          st.exchange(soci::into(hits));
          st.exchange(soci::into(size));
          st.exchange(soci::into(author, author_ind));
          st.exchange(soci::into(language, language_ind));
          st.exchange(soci::into(freeze));
          st.exchange(soci::into(is_private));
        },
        [&] {
          core::Paste paste;
          paste.id = id;
          paste.title = title;
          paste.body = body;
          paste.timestamp = required_time(timestamp, "core_paste.timestamp");
          paste.expiry = optional_time(expiry, expiry_ind, "core_paste.expiry");
          paste.hits = hits;
          paste.size = size;
          paste.author_id = author_ind == soci::i_ok ? std::optional<core::Id>(author)
                                                     : std::nullopt;
          paste.language_id = language_ind == soci::i_ok ? std::optional<core::Id>(language)
                                                         : std::nullopt;
          paste.freeze_hits = freeze != 0;
          paste.is_private = is_private != 0;
          visit(paste);
          return id;
        });
  });
}

void DjangoSource::each_expiry_log(const std::function<void(const core::ExpiryLog&)>& visit) {
  guarded("reading core_expirylog", [&] {
    long long id = 0, reclaimed = 0, paste_count = 0, user_count = 0;
    int completed = 0;
    std::string expired_ids, timestamp, cutoff;
    soci::indicator cutoff_ind = soci::i_null, ids_ind = soci::i_null;
    paged(
        sql_,
        "SELECT id, expired_ids, " + time_text("timestamp") +
            ", reclaimed_space, CASE WHEN completed THEN 1 ELSE 0 END, paste_count, "
            "user_count, " +
            time_text("user_cutoff") +
            " FROM core_expirylog WHERE id > :after ORDER BY id LIMIT :limit",
        [&](soci::statement& st) {
          st.exchange(soci::into(id));
          st.exchange(soci::into(expired_ids, ids_ind));
          st.exchange(soci::into(timestamp));
          st.exchange(soci::into(reclaimed));
          st.exchange(soci::into(completed));
          st.exchange(soci::into(paste_count));
          st.exchange(soci::into(user_count));
          st.exchange(soci::into(cutoff, cutoff_ind));
        },
        [&] {
          core::ExpiryLog log;
          log.id = id;
          log.expired_ids = ids_ind == soci::i_ok ? expired_ids : std::string();
          log.timestamp = required_time(timestamp, "core_expirylog.timestamp");
          log.user_cutoff = optional_time(cutoff, cutoff_ind, "core_expirylog.user_cutoff");
          log.paste_count = paste_count;
          log.reclaimed_space = reclaimed;
          log.user_count = user_count;
          log.completed = completed != 0;
          visit(log);
          return id;
        });
  });
}

}  // namespace sillypaste::transfer
