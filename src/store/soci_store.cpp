// SociStore: connections, migrations, settings and languages.
#include "store/soci_store.hpp"

#include <algorithm>
#include <mutex>
#include <set>
#include <vector>

#include "store/casefold.hpp"
#include "store/migration_files.hpp"
#include "store/prepared_lookups.hpp"
#include "store/soci_store_detail.hpp"

namespace sillypaste::store {
namespace {

[[nodiscard]] bool table_exists(soci::session& sql, const SqlDialect& dialect,
                                const std::string& table) {
  long long count = 0;
  sql << std::string(dialect.table_exists), soci::use(table), soci::into(count);
  return count > 0;
}

[[nodiscard]] bool migration_applied(soci::session& sql, const SqlDialect& dialect, int version) {
  if (!table_exists(sql, dialect, "schema_migrations")) {
    return false;
  }
  long long count = 0;
  sql << "SELECT COUNT(*) FROM schema_migrations WHERE version = :version", soci::use(version),
      soci::into(count);
  return count > 0;
}

}  // namespace

SociStore::SociStore(const soci::backend_factory& backend, const std::string& connect_string,
                     const SqlDialect& dialect, std::size_t pool_size)
    : dialect_(dialect),
      pool_(std::max<std::size_t>(pool_size, 1)),
      pool_size_(std::max<std::size_t>(pool_size, 1)) {
  for (std::size_t i = 0; i < pool_size_; ++i) {
    prepared_.push_back(std::make_unique<PreparedLookups>());
  }
  guarded("cannot open the database", [&] {
    for (std::size_t i = 0; i < pool_size_; ++i) {
      soci::session& sql = pool_.at(i);
      sql.open(backend, connect_string);
      dialect_.prepare_connection(sql);
    }
  });
  if (pool_size_ > 1) {
    writer_position_ = pool_.lease();
    if (dialect_.defer_checkpoints != nullptr) {
      guarded("cannot open the database", [&] {
        auto own = std::make_unique<soci::session>();
        own->open(backend, connect_string);
        dialect_.prepare_connection(*own);
        checkpointer_ = std::make_unique<WalCheckpointer>(std::move(own), dialect_);
        dialect_.defer_checkpoints(pool_.at(*writer_position_), checkpointer_.get());
      });
    }
  }
}

SociStore::~SociStore() {
  if (writer_position_) {
    if (checkpointer_) {  // the writer's connection outlives it
      dialect_.defer_checkpoints(pool_.at(*writer_position_), nullptr);
    }
    pool_.give_back(*writer_position_);
  }
}

bool SociStore::reconnect_dead_connections() {
  // Connections in use elsewhere are checked when their own statements fail.
  std::vector<std::size_t> idle;
  std::size_t position = 0;
  while (idle.size() < pool_size_ && pool_.try_lease(position, 0)) {
    idle.push_back(position);
  }
  // The writer's connection, unless a write is running (maybe this thread's own, as in
  // an import: a statement that failed there retries after this check).
  std::unique_lock<std::mutex> writing(write_mutex_, std::defer_lock);
  if (writer_position_ && !this_thread_writes && writing.try_lock()) {
    idle.push_back(*writer_position_);
  }
  bool reopened = false;
  for (const std::size_t at : idle) {
    soci::session& sql = pool_.at(at);
    try {
      if (!sql.is_connected()) {             // a round trip on PostgreSQL; always true on SQLite
        *prepared_[at] = PreparedLookups{};  // made on the connection that died
        sql.reconnect();
        dialect_.prepare_connection(sql);
        if (at == writer_position_ && checkpointer_) {
          dialect_.defer_checkpoints(sql, checkpointer_.get());
        }
        reopened = true;
      }
    } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): still down; the
    }                                  // retry fails and reports it
  }
  for (const std::size_t at : idle) {
    if (at != writer_position_) {
      pool_.give_back(at);
    }
  }
  return reopened;
}

int SociStore::migrate() {
  return guarded("migration failed", [&] {
    int ran = 0;
    for (const Migration& migration : migrations_for(dialect_.name)) {
      // Checked inside the write transaction, so two processes never apply one twice.
      WriteScope write(*this);
      if (migration_applied(write.sql(), dialect_, migration.version)) {
        continue;
      }
      for (const std::string& statement : split_sql_statements(migration.sql)) {
        write.sql() << statement;
      }
      const long long applied_at = system_now_micros();
      write.sql() << "INSERT INTO schema_migrations (version, applied_at) VALUES (:v, :t)",
          soci::use(migration.version), soci::use(applied_at);
      write.commit();
      ++ran;
    }
    return ran;
  });
}

int SociStore::schema_version() {
  return guarded("schema_version", [&] {
    soci::session sql(pool_);
    if (!table_exists(sql, dialect_, "schema_migrations")) {
      return 0;
    }
    int version = 0;
    sql << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", soci::into(version);
    return version;
  });
}

std::optional<std::string> SociStore::setting(std::string_view key) {
  return guarded("setting", [&]() -> std::optional<std::string> {
    soci::session sql(pool_);
    const std::string key_text(key);
    std::string value;
    soci::indicator indicator = soci::i_null;
    sql << "SELECT value FROM settings WHERE key = :key", soci::use(key_text),
        soci::into(value, indicator);
    if (!sql.got_data() || indicator != soci::i_ok) {
      return std::nullopt;
    }
    return value;
  });
}

void SociStore::set_setting(std::string_view key, std::string_view value) {
  guarded("set_setting", [&] {
    WriteScope write(*this);
    const std::string key_text(key), value_text(value);
    write.sql() << "INSERT INTO settings (key, value) VALUES (:key, :value) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        soci::use(key_text), soci::use(value_text);
    write.commit();
  });
}

std::vector<core::Language> SociStore::languages() {
  return guarded("languages", [&] {
    soci::session sql(pool_);
    std::vector<core::Language> result;
    long long id = 0;
    std::string name;
    soci::statement st = (sql.prepare << "SELECT id, name FROM languages ORDER BY " +
                                             std::string(dialect_.fold_function) + "(name), id",
                          soci::into(id), soci::into(name));
    if (st.execute(true)) {
      do {
        result.push_back({id, name});
      } while (st.fetch());
    }
    return result;
  });
}

std::optional<core::Language> SociStore::language_by_id(core::Id id) {
  return guarded("language_by_id", [&]() -> std::optional<core::Language> {
    soci::session sql(pool_);
    const long long wanted = id;
    std::string name;
    sql << "SELECT name FROM languages WHERE id = :id", soci::use(wanted), soci::into(name);
    if (!sql.got_data()) {
      return std::nullopt;
    }
    return core::Language{id, name};
  });
}

std::optional<core::Language> SociStore::language_by_name(std::string_view name) {
  return guarded("language_by_name", [&]() -> std::optional<core::Language> {
    soci::session sql(pool_);
    const std::string folded = fold_case(name);
    long long id = 0;
    std::string stored;
    sql << "SELECT id, name FROM languages WHERE " + std::string(dialect_.fold_function) +
               "(name) = :name ORDER BY id LIMIT 1",
        soci::use(folded), soci::into(id), soci::into(stored);
    if (!sql.got_data()) {
      return std::nullopt;
    }
    return core::Language{id, stored};
  });
}

int SociStore::sync_languages(const std::vector<std::string>& names) {
  return guarded("sync_languages", [&] {
    WriteScope write(*this);
    std::set<std::string> present;
    {
      std::string name;
      soci::statement st = (write.sql().prepare << "SELECT name FROM languages", soci::into(name));
      if (st.execute(true)) {
        do {
          present.insert(name);
        } while (st.fetch());
      }
    }
    int added = 0;
    {
      std::string name;
      soci::statement insert =
          (write.sql().prepare << "INSERT INTO languages (name) VALUES (:name)", soci::use(name));
      for (const std::string& wanted : names) {
        if (wanted.empty() || !present.insert(wanted).second) {
          continue;
        }
        name = wanted;
        insert.execute(true);
        ++added;
      }
    }
    write.commit();
    return added;
  });
}

}  // namespace sillypaste::store
