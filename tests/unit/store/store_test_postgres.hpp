#pragma once

// PostgreSQL for the store tests: SILLYPASTE_TEST_POSTGRES names a server (a postgres://
// URL whose database may be connected to, e.g. .../postgres); each TestDatabase is a new
// database on it, dropped when the object goes away.

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <optional>
#include <string>

#include "store/sql_dialect.hpp"

namespace sillypaste::store::testing {

[[nodiscard]] inline std::optional<std::string> postgres_server() {
  const char* url = std::getenv("SILLYPASTE_TEST_POSTGRES");
  if (url == nullptr || *url == '\0') {
    return std::nullopt;
  }
  return std::string(url);
}

// The server URL with its database name replaced.
[[nodiscard]] inline std::string with_database(const std::string& url, const std::string& name) {
  const auto authority = url.find("://") + 3;
  const auto query = url.find('?', authority);
  const auto slash = url.find('/', authority);
  const auto path = slash < query ? slash : query;
  return url.substr(0, path) + "/" + name +
         (query == std::string::npos ? std::string() : url.substr(query));
}

class TestDatabase {
 public:
  TestDatabase() {
    static std::atomic<int> counter{0};
    name_ = "sp_unit_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
    admin() << "CREATE DATABASE " + name_;
  }
  ~TestDatabase() {
    try {
      admin() << "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)";
    } catch (...) {  // NOLINT(bugprone-empty-catch): the cluster is thrown away anyway
    }
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  [[nodiscard]] std::string url() const { return with_database(*postgres_server(), name_); }

 private:
  [[nodiscard]] static soci::session& admin() {
    static soci::session session(*soci::factory_postgresql(),
                                 postgresql_connect_string(*postgres_server()));
    return session;
  }

  std::string name_;
};

}  // namespace sillypaste::store::testing
