// SociStore: users and sessions.
#include <algorithm>

#include "store/casefold.hpp"
#include "store/prepared_lookups.hpp"
#include "store/soci_store.hpp"
#include "store/soci_store_detail.hpp"
#include "store/user_row.hpp"

namespace sillypaste::store {
namespace {

template <typename Key>
[[nodiscard]] std::optional<core::User> fetch_user(soci::session& sql, std::string_view column,
                                                   const Key& key) {
  UserRow row;
  soci::statement st(sql);
  row.bind_into(st);
  st.exchange(soci::use(key, "key"));
  prepare(st, std::string(kUserColumns) + " WHERE " + std::string(column) + " = :key");
  if (!st.execute(true)) {
    return std::nullopt;
  }
  return row.user();
}

// Serialized writes make check-then-write race-free; the UNIQUE index is the backstop.
// `self` is the user being renamed, who may keep their own name.
void ensure_username_free(soci::session& sql, const UserRow& row, std::optional<long long> self) {
  long long holder = 0;
  const std::string& key = row.username_lower();
  sql << "SELECT id FROM users WHERE username_lower = :key", soci::use(key), soci::into(holder);
  if (sql.got_data() && holder != self) {
    throw DuplicateUsername("username is taken: " + row.user().username);
  }
}

}  // namespace

core::Id SociStore::create_user(const core::User& user) {
  return guarded("create_user", [&] {
    WriteScope write(*this);
    UserRow row(user);
    ensure_username_free(write.sql(), row, std::nullopt);
    long long id = 0;
    {  // SQLite cannot commit while the RETURNING statement is alive
      soci::statement st(write.sql());
      row.bind_use(st, false);
      st.exchange(soci::into(id));
      prepare(st,
              "INSERT INTO users (username, username_lower, password_hash, email, first_name, "
              "last_name, is_staff, is_superuser, is_active, is_anonymous, date_joined, "
              "last_login) VALUES (:username, :username_lower, :password_hash, :email, "
              ":first_name, :last_name, :is_staff, :is_superuser, :is_active, :is_anonymous, "
              ":date_joined, :last_login) RETURNING id");
      if (!st.execute(true)) {
        throw StoreError("create_user: no id returned");
      }
    }
    write.commit();
    return core::Id{id};
  });
}

std::optional<core::User> SociStore::user_by_id(core::Id id) {
  return guarded("user_by_id", [&] {
    const bool sqlite = dialect_.name == "sqlite";
    return with_prepared([&](soci::session& sql, PreparedLookups& lookups) {
      if (!lookups.user_by_id) {
        lookups.user_by_id =
            std::make_unique<PreparedUserLookup<long long>>(sql, "id = :key", sqlite);
      }
      return lookups.user_by_id->run(id);
    });
  });
}

std::optional<core::User> SociStore::user_by_token(std::string_view key) {
  const auto now = TokenCache::Clock::now();
  if (auto cached = token_cache_.find(key, now)) {
    return cached;
  }
  const auto generation = token_cache_.generation();
  auto user = guarded("user_by_token", [&]() -> std::optional<core::User> {
    const bool sqlite = dialect_.name == "sqlite";
    return with_prepared([&](soci::session& sql, PreparedLookups& lookups) {
      if (!lookups.user_by_token) {
        lookups.user_by_token = std::make_unique<PreparedUserLookup<std::string>>(
            sql, "id = (SELECT user_id FROM tokens WHERE key = :key)", sqlite);
      }
      return lookups.user_by_token->run(std::string(key));
    });
  });
  if (user) {
    token_cache_.remember(key, *user, generation, now);
  }
  return user;
}

std::optional<core::User> SociStore::user_by_username(std::string_view username) {
  return guarded("user_by_username", [&] {
    soci::session sql(pool_);
    const std::string key = fold_case(username);
    return fetch_user(sql, "username_lower", key);
  });
}

void SociStore::update_user(const core::User& user) {
  guarded("update_user", [&] {
    WriteScope write(*this);
    UserRow row(user);
    ensure_username_free(write.sql(), row, row.id());
    {
      soci::statement st(write.sql());
      row.bind_use(st, true);
      prepare(st,
              "UPDATE users SET username = :username, username_lower = :username_lower, "
              "password_hash = :password_hash, email = :email, first_name = :first_name, "
              "last_name = :last_name, is_staff = :is_staff, is_superuser = :is_superuser, "
              "is_active = :is_active, is_anonymous = :is_anonymous, "
              "date_joined = :date_joined, last_login = :last_login WHERE id = :id");
      st.execute(true);
    }
    write.commit();
  });
}

core::UserPage SociStore::list_users(const core::UserQuery& query) {
  return guarded("list_users", [&] {
    soci::session sql(pool_);
    Transaction read(sql, dialect_.begin_read);  // count and page from one snapshot
    const bool has_search = !query.search.empty();
    // username_lower holds fold_case(username): fold the search the same way.
    const std::string pattern = like_pattern(fold_case(query.search));
    std::string where = " WHERE 1 = 1";
    if (!query.include_anonymous) {
      where += " AND is_anonymous = 0";
    }
    if (has_search) {
      where += " AND username_lower LIKE :q ESCAPE '\\'";
    }
    core::UserPage page;
    {
      long long total = 0;
      soci::statement st(sql);
      st.exchange(soci::into(total));
      if (has_search) {
        st.exchange(soci::use(pattern, "q"));
      }
      prepare(st, "SELECT COUNT(*) FROM users" + where);
      st.execute(true);
      page.total = total;
    }
    const long long limit = std::clamp(query.limit, 0, kMaxPageSize);
    const long long offset = std::max(query.offset, 0);
    if (limit > 0 && offset < page.total) {
      UserRow row;
      soci::statement st(sql);
      row.bind_into(st);
      if (has_search) {
        st.exchange(soci::use(pattern, "q"));
      }
      st.exchange(soci::use(limit, "limit"));
      st.exchange(soci::use(offset, "offset"));
      prepare(st, std::string(kUserColumns) + where + " ORDER BY id LIMIT :limit OFFSET :offset");
      if (st.execute(true)) {
        do {
          page.items.push_back(row.user());
        } while (st.fetch());
      }
    }
    read.commit();
    return page;
  });
}

void SociStore::move_pastes(core::Id from_user, core::Id to_user) {
  guarded("move_pastes", [&] {
    WriteScope write(*this);
    const long long from = from_user, to = to_user;
    write.sql() << "UPDATE pastes SET author_id = :to WHERE author_id = :from", soci::use(to),
        soci::use(from);
    write.commit();
  });
}

void SociStore::create_session(const core::Session& session) {
  guarded("create_session", [&] {
    WriteScope write(*this);
    const long long user_id = session.user_id.value_or(0);
    const long long created = session.created, expires = session.expires;
    soci::indicator user_ind = null_if(!session.user_id);
    write.sql() << "INSERT INTO sessions (id, user_id, created, expires) "
                   "VALUES (:id, :user_id, :created, :expires)",
        soci::use(session.id), soci::use(user_id, user_ind), soci::use(created), soci::use(expires);
    write.commit();
  });
}

std::optional<core::Session> SociStore::session(std::string_view id, core::Micros now) {
  return guarded("session", [&]() -> std::optional<core::Session> {
    soci::session sql(pool_);
    const std::string key(id);
    const long long now_value = now;
    long long user_id = 0, created = 0, expires = 0;
    soci::indicator user_ind = soci::i_null;
    sql << "SELECT user_id, created, expires FROM sessions WHERE id = :id AND expires > :now",
        soci::use(key), soci::use(now_value), soci::into(user_id, user_ind), soci::into(created),
        soci::into(expires);
    if (!sql.got_data()) {
      return std::nullopt;
    }
    return core::Session{key, optional_of<core::Id>(user_id, user_ind), created, expires};
  });
}

void SociStore::delete_session(std::string_view id) {
  guarded("delete_session", [&] {
    WriteScope write(*this);
    const std::string key(id);
    write.sql() << "DELETE FROM sessions WHERE id = :id", soci::use(key);
    write.commit();
  });
}

}  // namespace sillypaste::store
