// SociStore: users and sessions.
#include <algorithm>

#include "store/casefold.hpp"
#include "store/soci_store.hpp"
#include "store/soci_store_detail.hpp"

namespace sillypaste::store {
namespace {

constexpr std::string_view kUserColumns =
    "SELECT id, username, password_hash, email, first_name, last_name, is_staff, "
    "is_superuser, is_active, is_anonymous, date_joined, last_login FROM users";

// Both directions of a users row: into() for reads, use() (named) for writes.
class UserRow {
 public:
  UserRow() = default;
  explicit UserRow(const core::User& user)
      : id_(user.id),
        date_joined_(user.date_joined),
        last_login_(user.last_login.value_or(0)),
        is_staff_(user.is_staff ? 1 : 0),
        is_superuser_(user.is_superuser ? 1 : 0),
        is_active_(user.is_active ? 1 : 0),
        is_anonymous_(user.is_anonymous ? 1 : 0),
        username_(user.username),
        username_lower_(fold_case(user.username)),
        password_hash_(user.password_hash),
        email_(user.email),
        first_name_(user.first_name),
        last_name_(user.last_name),
        last_login_ind_(null_if(!user.last_login)) {}

  void bind_into(soci::statement& st) {
    st.exchange(soci::into(id_));
    st.exchange(soci::into(username_));
    st.exchange(soci::into(password_hash_));
    st.exchange(soci::into(email_));
    st.exchange(soci::into(first_name_));
    st.exchange(soci::into(last_name_));
    st.exchange(soci::into(is_staff_));
    st.exchange(soci::into(is_superuser_));
    st.exchange(soci::into(is_active_));
    st.exchange(soci::into(is_anonymous_));
    st.exchange(soci::into(date_joined_));
    st.exchange(soci::into(last_login_, last_login_ind_));
  }

  // Every column but id; with_id adds :id for updates.
  void bind_use(soci::statement& st, bool with_id) {
    st.exchange(soci::use(username_, "username"));
    st.exchange(soci::use(username_lower_, "username_lower"));
    st.exchange(soci::use(password_hash_, "password_hash"));
    st.exchange(soci::use(email_, "email"));
    st.exchange(soci::use(first_name_, "first_name"));
    st.exchange(soci::use(last_name_, "last_name"));
    st.exchange(soci::use(is_staff_, "is_staff"));
    st.exchange(soci::use(is_superuser_, "is_superuser"));
    st.exchange(soci::use(is_active_, "is_active"));
    st.exchange(soci::use(is_anonymous_, "is_anonymous"));
    st.exchange(soci::use(date_joined_, "date_joined"));
    st.exchange(soci::use(last_login_, last_login_ind_, "last_login"));
    if (with_id) {
      st.exchange(soci::use(id_, "id"));
    }
  }

  [[nodiscard]] core::User user() const {
    core::User user;
    user.id = id_;
    user.username = username_;
    user.password_hash = password_hash_;
    user.email = email_;
    user.first_name = first_name_;
    user.last_name = last_name_;
    user.is_staff = is_staff_ != 0;
    user.is_superuser = is_superuser_ != 0;
    user.is_active = is_active_ != 0;
    user.is_anonymous = is_anonymous_ != 0;
    user.date_joined = date_joined_;
    user.last_login = optional_of<core::Micros>(last_login_, last_login_ind_);
    return user;
  }

  [[nodiscard]] const std::string& username_lower() const { return username_lower_; }
  [[nodiscard]] long long id() const { return id_; }

 private:
  long long id_ = 0, date_joined_ = 0, last_login_ = 0;
  int is_staff_ = 0, is_superuser_ = 0, is_active_ = 1, is_anonymous_ = 0;
  std::string username_, username_lower_, password_hash_, email_, first_name_, last_name_;
  soci::indicator last_login_ind_ = soci::i_null;
};

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
    soci::session sql(pool_);
    const long long key = id;
    return fetch_user(sql, "id", key);
  });
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
