#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <mutex>
#include <string>

#include "store/soci_store.hpp"
#include "store/sqlite_write_combining_vfs.hpp"
#include "store/store.hpp"

namespace sillypaste::store {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:///";

// SOCI's connect string quotes values with double quotes and has no escape for them.
[[nodiscard]] std::string sqlite_connect_string(std::string_view url, std::string_view path) {
  if (path.empty()) {
    throw StoreError("DATABASE_URL names no database file: " + std::string(url));
  }
  if (path.find('"') != std::string_view::npos) {
    throw StoreError("DATABASE_URL path must not contain '\"': " + std::string(url));
  }
  return "db=\"" + std::string(path) + "\" timeout=5";
}

// The URL for error messages, without any user:password@ part.
[[nodiscard]] std::string redacted(std::string_view url) {
  const auto scheme_end = url.find("://");
  const auto at = url.find('@');
  if (scheme_end == std::string_view::npos || at == std::string_view::npos || at < scheme_end) {
    return std::string(url);
  }
  return std::string(url.substr(0, scheme_end + 3)) + "***" + std::string(url.substr(at));
}

// SQLite keeps memory statistics by default, taking a global mutex in every allocation
// that the writer and all readers then contend on; nothing here reads them. The setting
// must come before SQLite initialises, so it is made before the first SQLite store opens
// (if something initialised SQLite earlier, it is refused and nothing changes).
void disable_sqlite_memory_statistics() {
  static std::once_flag once;
  std::call_once(once, [] { (void)sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

// sqlite:///relative/path and sqlite:////absolute/path (the path is what follows "///");
// postgres:// and postgresql:// URLs are turned into libpq connection strings.
std::unique_ptr<Store> open_store(std::string_view database_url, std::size_t pool_size) {
  if (database_url.starts_with(kSqlitePrefix)) {
    const std::string_view path = database_url.substr(kSqlitePrefix.size());
    disable_sqlite_memory_statistics();
    use_write_combining_vfs();
    return std::make_unique<SociStore>(*soci::factory_sqlite3(),
                                       sqlite_connect_string(database_url, path), sqlite_dialect(),
                                       pool_size);
  }
  if (database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
    return std::make_unique<SociStore>(*soci::factory_postgresql(),
                                       postgresql_connect_string(database_url),
                                       postgresql_dialect(), pool_size);
  }
  if (database_url.starts_with("sqlite:")) {
    throw StoreError(
        "DATABASE_URL for SQLite must look like sqlite:///relative/path or "
        "sqlite:////absolute/path: " +
        redacted(database_url));
  }
  throw StoreError("DATABASE_URL has an unknown scheme (expected sqlite:// or postgres://): " +
                   redacted(database_url));
}

}  // namespace sillypaste::store
