// WalCheckpointer: SQLite's write-ahead log copied back on a thread of its own, so that the
// writer's commits never run a checkpoint (and its syncs) themselves.
#include "store/wal_checkpointer.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "store/sql_dialect.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace sillypaste::store {
namespace {

constexpr long long kPageSize = 4096;  // SQLite's default

class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "wal-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    writer_ = connect();
    *writer_ << "CREATE TABLE rows (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)";
  }
  void TearDown() override {
    writer_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  [[nodiscard]] std::unique_ptr<soci::session> connect() const {
    auto sql = std::make_unique<soci::session>(*soci::factory_sqlite3(),
                                               "db=\"" + (dir_ / "test.db").string() + "\"");
    sqlite_dialect().prepare_connection(*sql);
    return sql;
  }

  // `commits` write transactions of about one page each, one right after the other.
  void write_rows(int commits) {
    const std::string payload(3000, 'x');
    for (int i = 0; i < commits; ++i) {
      *writer_ << "BEGIN IMMEDIATE";
      *writer_ << "INSERT INTO rows (payload) VALUES (:payload)", soci::use(payload);
      *writer_ << "COMMIT";
    }
  }

  [[nodiscard]] long long wal_pages() const {
    return static_cast<long long>(std::filesystem::file_size(dir_ / "test.db-wal")) / kPageSize;
  }

  [[nodiscard]] long long rows_seen_by_another_connection() const {
    long long count = 0;
    *connect() << "SELECT COUNT(*) FROM rows", soci::into(count);
    return count;
  }

  std::filesystem::path dir_;
  std::unique_ptr<soci::session> writer_;
};

class IgnoresTheLog final : public WalListener {
 public:
  bool wal_grew(int /*pages*/) noexcept override { return false; }
};

TEST_F(WalCheckpointerTest, TheWritersCommitsNoLongerCheckpointOnceDeferred) {
  IgnoresTheLog listener;
  sqlite_dialect().defer_checkpoints(*writer_, &listener);
  write_rows(1200);  // past SQLite's own threshold of 1,000 pages
  EXPECT_GE(wal_pages(), 1200);
  sqlite_dialect().defer_checkpoints(*writer_, nullptr);  // SQLite's checkpoints again
}

TEST_F(WalCheckpointerTest, KeepsTheLogShortWhileWritesGoOn) {
  WalCheckpointer checkpointer(connect(), sqlite_dialect(), 50);
  sqlite_dialect().defer_checkpoints(*writer_, &checkpointer);
  write_rows(1200);
  EXPECT_GE(checkpointer.wait_until_idle(), 1);
  // Restarted again and again: without the checkpointer it reaches 1,200 pages (above).
  EXPECT_LT(wal_pages(), 400);
  EXPECT_EQ(rows_seen_by_another_connection(), 1200);
  sqlite_dialect().defer_checkpoints(*writer_, nullptr);
}

TEST_F(WalCheckpointerTest, CopiesOnceTheLogHasGrownByItsPagesThenLetsTheWriterFinish) {
  WalCheckpointer checkpointer(connect(), sqlite_dialect(), 100);
  EXPECT_FALSE(checkpointer.wal_grew(99));
  EXPECT_EQ(checkpointer.wait_until_idle(), 0);
  EXPECT_FALSE(checkpointer.wal_grew(100));
  EXPECT_EQ(checkpointer.wait_until_idle(), 1);
  // The writer's next commit copies what was written meanwhile, once.
  EXPECT_TRUE(checkpointer.wal_grew(120));
  EXPECT_FALSE(checkpointer.wal_grew(130));
  // Still long (a reader kept the log from being restarted): not after every commit.
  EXPECT_FALSE(checkpointer.wal_grew(150));
  EXPECT_EQ(checkpointer.wait_until_idle(), 1);
  EXPECT_FALSE(checkpointer.wal_grew(200));
  EXPECT_EQ(checkpointer.wait_until_idle(), 2);
  EXPECT_TRUE(checkpointer.wal_grew(210));
  // Restarted: counted from the start of the log again.
  EXPECT_FALSE(checkpointer.wal_grew(10));
  EXPECT_FALSE(checkpointer.wal_grew(99));
  EXPECT_EQ(checkpointer.wait_until_idle(), 2);
  EXPECT_FALSE(checkpointer.wal_grew(100));
  EXPECT_EQ(checkpointer.wait_until_idle(), 3);
}

TEST_F(WalCheckpointerTest, AFailedCheckpointIsRetriedLater) {
  SqlDialect failing = sqlite_dialect();
  failing.checkpoint = [](soci::session& /*sql*/) -> int { throw StoreError("disk on fire"); };
  WalCheckpointer checkpointer(connect(), failing, 100);
  ::testing::internal::CaptureStderr();
  EXPECT_FALSE(checkpointer.wal_grew(100));
  EXPECT_EQ(checkpointer.wait_until_idle(), 1);
  // Nothing copied: the writer is not asked to finish it.
  EXPECT_FALSE(checkpointer.wal_grew(150));
  EXPECT_FALSE(checkpointer.wal_grew(200));
  EXPECT_EQ(checkpointer.wait_until_idle(), 2);
  EXPECT_NE(::testing::internal::GetCapturedStderr().find("disk on fire"), std::string::npos);
}

// The store's writer connection, as serve uses it: creates in group commits, one after the
// other, and the log stays short.
class StoreWalTest : public testing::StoreTest {};

TEST_F(StoreWalTest, AStoresLogStaysShortUnderManyCommits) {
  if (on_postgres()) {
    GTEST_SKIP() << "SQLite's write-ahead log";
  }
  const std::string body(2000, 'b');
  for (int i = 0; i < 1500; ++i) {
    (void)store_->insert_paste(make_paste("paste " + std::to_string(i), body));
  }
  // Each paste's commit writes several pages (its row, its overflow, index leaves): about
  // 20,000 in all, which a log never restarted would hold. Its length once restarted
  // depends on how much is written while the checkpointer copies; on a loaded machine (a
  // parallel build) it has reached 4,000 pages.
  const auto wal = dir_ / "test.db-wal";
  EXPECT_LT(static_cast<long long>(std::filesystem::file_size(wal)) / kPageSize, 10'000);
  EXPECT_EQ(store_->stats().paste_count, 1500);
}

}  // namespace
}  // namespace sillypaste::store
