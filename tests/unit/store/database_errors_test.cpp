#include "store/database_errors.hpp"

#include <gtest/gtest.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "store/store.hpp"
#include "temp_dir.hpp"

namespace sillypaste::store {
namespace {

TEST(DatabaseErrors, sqlite_full_is_storage_full_other_codes_are_not) {
  EXPECT_TRUE(sqlite_result_means_full(13));     // SQLITE_FULL
  EXPECT_FALSE(sqlite_result_means_full(0));     // SQLITE_OK
  EXPECT_FALSE(sqlite_result_means_full(5));     // SQLITE_BUSY
  EXPECT_FALSE(sqlite_result_means_full(10));    // SQLITE_IOERR
  EXPECT_FALSE(sqlite_result_means_full(19));    // SQLITE_CONSTRAINT
  EXPECT_FALSE(sqlite_result_means_full(2067));  // SQLITE_CONSTRAINT_UNIQUE
}

TEST(DatabaseErrors, only_sqlstate_53100_is_storage_full) {
  EXPECT_TRUE(sqlstate_means_full("53100"));   // disk_full
  EXPECT_FALSE(sqlstate_means_full("53200"));  // out_of_memory
  EXPECT_FALSE(sqlstate_means_full("53300"));  // too_many_connections
  EXPECT_FALSE(sqlstate_means_full("23505"));  // unique_violation
  EXPECT_FALSE(sqlstate_means_full(""));
}

TEST(DatabaseErrors, postgresql_disk_full_becomes_storage_full) {
  const soci::postgresql_soci_error full(
      "ERROR: could not extend file \"base/16384/16385\": wrote only 4096 of 8192 bytes", "53100");
  const soci::postgresql_soci_error duplicate("ERROR: duplicate key value", "23505");
  EXPECT_TRUE(means_storage_full(full));
  EXPECT_FALSE(means_storage_full(duplicate));
  EXPECT_THROW(throw_store_error("insert_paste", full), StorageFull);
  try {
    throw_store_error("insert_paste", duplicate);
    FAIL() << "throw_store_error returned";
  } catch (const StorageFull&) {
    FAIL() << "a duplicate key is not a full disk";
  } catch (const StoreError& error) {
    EXPECT_NE(std::string(error.what()).find("insert_paste: "), std::string::npos);
  }
}

TEST(DatabaseErrors, enospc_text_is_storage_full_without_a_backend_code) {
  EXPECT_TRUE(means_storage_full(
      soci::soci_error("could not write to file \"pg_wal/xlogtemp.1\": No space left on device")));
  EXPECT_FALSE(means_storage_full(soci::soci_error("server closed the connection unexpectedly")));
}

// A real SQLite database that has reached its page limit fails writes exactly as one on a
// full disk does (SQLITE_FULL), while reads keep working.
class SqliteFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::make_temp_dir("sqlite-full-");
    sql_.open(*soci::factory_sqlite3(), "db=\"" + (dir_ / "full.db").string() + "\"");
    sql_ << "CREATE TABLE t (body TEXT NOT NULL UNIQUE)";
    sql_ << "INSERT INTO t (body) VALUES ('kept')";
  }
  void TearDown() override {
    sql_.close();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Inserts ever more rows until SQLite refuses one; the error it gave (or none).
  std::optional<soci::soci_error> fill() {
    int page_count = 0;
    sql_ << "PRAGMA page_count", soci::into(page_count);
    sql_ << "PRAGMA max_page_count = " + std::to_string(page_count + 2);
    const std::string body(2000, 'x');
    for (int i = 0; i < 100; ++i) {
      try {
        const std::string row = std::to_string(i) + body;
        sql_ << "INSERT INTO t (body) VALUES (:body)", soci::use(row);
      } catch (const soci::soci_error& error) {
        return error;
      }
    }
    return std::nullopt;
  }

  std::filesystem::path dir_;
  soci::session sql_;
};

TEST_F(SqliteFullTest, a_full_database_is_storage_full_and_still_readable) {
  const auto error = fill();
  ASSERT_TRUE(error.has_value()) << "100 rows of 2 kB fit in two pages";
  EXPECT_TRUE(means_storage_full(*error)) << error->what();
  EXPECT_THROW(throw_store_error("insert_paste", *error), StorageFull);
  std::string body;
  sql_ << "SELECT body FROM t WHERE body = 'kept'", soci::into(body);
  EXPECT_EQ(body, "kept");
}

TEST_F(SqliteFullTest, a_constraint_violation_is_not_storage_full) {
  try {
    sql_ << "INSERT INTO t (body) VALUES ('kept')";
    FAIL() << "a duplicate was inserted";
  } catch (const soci::soci_error& error) {
    EXPECT_FALSE(means_storage_full(error)) << error.what();
  }
}

}  // namespace
}  // namespace sillypaste::store
