#pragma once

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "store/sql_dialect.hpp"
#include "temp_dir.hpp"

namespace sillypaste::store::testing {

// A connection to the SQLite file `file`, set up as the store sets up its own.
[[nodiscard]] inline std::unique_ptr<soci::session> open_sqlite_session(
    const std::filesystem::path& file) {
  auto sql =
      std::make_unique<soci::session>(*soci::factory_sqlite3(), "db=\"" + file.string() + "\"");
  sqlite_dialect().prepare_connection(*sql);
  return sql;
}

// A fixture with a SQLite file of its own in a new temporary directory (removed afterwards)
// and one connection to it, writer_; connect() opens more.
class SqliteFileTest : public ::testing::Test {
 protected:
  explicit SqliteFileTest(std::string temp_dir_prefix) : prefix_(std::move(temp_dir_prefix)) {}

  void SetUp() override {
    dir_ = make_temp_dir(prefix_);
    writer_ = connect();
  }
  void TearDown() override {
    writer_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  [[nodiscard]] std::unique_ptr<soci::session> connect() const {
    return open_sqlite_session(dir_ / "test.db");
  }

  std::filesystem::path dir_;
  std::unique_ptr<soci::session> writer_;

 private:
  std::string prefix_;
};

}  // namespace sillypaste::store::testing
