// SociStore: deleting users, API tokens and a user's sessions.
#include "store/soci_store.hpp"
#include "store/soci_store_detail.hpp"

namespace sillypaste::store {

bool SociStore::delete_user(core::Id id) {
  return guarded("delete_user", [&] {
    WriteScope write(*this);
    soci::session& sql = write.sql();
    const long long user_id = id;
    // Explicit deletes rather than relying on ON DELETE CASCADE alone, so the outcome does
    // not depend on the connection's foreign-key setting.
    sql << "DELETE FROM pastes WHERE author_id = :id", soci::use(user_id);
    sql << "DELETE FROM sessions WHERE user_id = :id", soci::use(user_id);
    sql << "DELETE FROM tokens WHERE user_id = :id", soci::use(user_id);
    long long deleted = 0;
    {
      soci::statement st = (sql.prepare << "DELETE FROM users WHERE id = :id", soci::use(user_id));
      st.execute(true);
      deleted = st.get_affected_rows();
    }
    write.commit();
    return deleted > 0;
  });
}

std::optional<std::string> SociStore::token_for_user(core::Id user_id) {
  return guarded("token_for_user", [&]() -> std::optional<std::string> {
    soci::session sql(pool_);
    const long long id = user_id;
    std::string key;
    sql << "SELECT key FROM tokens WHERE user_id = :id", soci::use(id), soci::into(key);
    if (!sql.got_data()) {
      return std::nullopt;
    }
    return key;
  });
}

void SociStore::set_token(core::Id user_id, std::string_view key, core::Micros created) {
  guarded("set_token", [&] {
    WriteScope write(*this);
    const long long id = user_id, created_at = created;
    const std::string token(key);
    write.sql() << "DELETE FROM tokens WHERE user_id = :id", soci::use(id);
    write.sql() << "INSERT INTO tokens (key, user_id, created) VALUES (:key, :id, :created)",
        soci::use(token), soci::use(id), soci::use(created_at);
    write.commit();
  });
}

bool SociStore::delete_token(core::Id user_id) {
  return guarded("delete_token", [&] {
    WriteScope write(*this);
    const long long id = user_id;
    long long deleted = 0;
    {
      soci::statement st =
          (write.sql().prepare << "DELETE FROM tokens WHERE user_id = :id", soci::use(id));
      st.execute(true);
      deleted = st.get_affected_rows();
    }
    write.commit();
    return deleted > 0;
  });
}

void SociStore::delete_user_sessions(core::Id user_id, std::string_view keep) {
  guarded("delete_user_sessions", [&] {
    WriteScope write(*this);
    const long long id = user_id;
    const std::string kept(keep);
    if (kept.empty()) {
      write.sql() << "DELETE FROM sessions WHERE user_id = :id", soci::use(id);
    } else {
      write.sql() << "DELETE FROM sessions WHERE user_id = :id AND id <> :keep", soci::use(id),
          soci::use(kept);
    }
    write.commit();
  });
}

}  // namespace sillypaste::store
