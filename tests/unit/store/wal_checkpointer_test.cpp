// WalCheckpointer: SQLite's write-ahead log copied back on a thread of its own, so that the
// writer's commits never run a checkpoint (and its syncs) themselves.
#include "store/wal_checkpointer.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "sqlite_session.hpp"
#include "store/sql_dialect.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace sillypaste::store {
namespace {

constexpr long long kPageSize = 4096;  // SQLite's default

class WalCheckpointerTest : public testing::SqliteFileTest {
 protected:
  WalCheckpointerTest() : SqliteFileTest("wal-test-") {}

  void SetUp() override {
    SqliteFileTest::SetUp();
    *writer_ << "CREATE TABLE rows (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)";
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

// Passes the log's length on, counting the times it was restarted (it got shorter).
class CountsRestarts final : public WalListener {
 public:
  explicit CountsRestarts(WalListener& next) : next_(next) {}
  bool wal_grew(int pages) noexcept override {
    restarts += pages < last_ ? 1 : 0;
    last_ = pages;
    return next_.wal_grew(pages);
  }
  int restarts = 0;

 private:
  WalListener& next_;
  int last_ = 0;
};

TEST_F(WalCheckpointerTest, RestartsTheLogWhileWritesGoOn) {
  WalCheckpointer checkpointer(connect(), sqlite_dialect(), 50);
  CountsRestarts counter(checkpointer);
  sqlite_dialect().defer_checkpoints(*writer_, &counter);
  write_rows(1200);
  EXPECT_GE(checkpointer.wait_until_idle(), 1);
  // However the threads were scheduled above, the last checkpoint has now copied what it
  // saw: unless the writer has copied the rest already (and restarted the log), its next
  // commit does, and the one after restarts the log.
  write_rows(2);
  // About 40 restarts on a quiet machine, fewer on a busy one; none without the writer's
  // last copy. Never restarted, the log would hold every page written (1,200 or more).
  EXPECT_GE(counter.restarts, 1);
  EXPECT_EQ(rows_seen_by_another_connection(), 1202);
  sqlite_dialect().defer_checkpoints(*writer_, nullptr);
}

TEST_F(WalCheckpointerTest, EachCheckpointEndsInARestart) {
  WalCheckpointer checkpointer(connect(), sqlite_dialect(), 200);
  CountsRestarts counter(checkpointer);
  sqlite_dialect().defer_checkpoints(*writer_, &counter);
  for (int round = 1; round <= 3; ++round) {
    write_rows(70);  // about 210 pages: one checkpoint asked for, at 200
    EXPECT_EQ(checkpointer.wait_until_idle(), round);
    write_rows(2);  // the writer copies the rest, then the log restarts
    EXPECT_EQ(counter.restarts, round);
  }
  EXPECT_LT(wal_pages(), 300);  // one round's writes; never restarted, 3 rounds: 630
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

// The checkpoint sequence number in the log's header, which each restart increments.
[[nodiscard]] std::uint32_t wal_checkpoint_sequence(const std::filesystem::path& wal) {
  std::ifstream in(wal, std::ios::binary);
  std::array<unsigned char, 16> header{};
  in.read(reinterpret_cast<char*>(header.data()), header.size());
  return (std::uint32_t{header[12]} << 24) | (std::uint32_t{header[13]} << 16) |
         (std::uint32_t{header[14]} << 8) | std::uint32_t{header[15]};
}

// The store's writer connection, as serve uses it: its log is restarted while pastes are
// created one after the other.
class StoreWalTest : public testing::StoreTest {};

TEST_F(StoreWalTest, AStoresLogIsRestartedWhilePastesAreCreated) {
  if (on_postgres()) {
    GTEST_SKIP() << "SQLite's write-ahead log";
  }
  const auto wal = dir_ / "test.db-wal";
  const std::string body(2000, 'b');
  int created = 0;
  const auto create = [&] {
    (void)store_->insert_paste(make_paste("p" + std::to_string(created++), body));
  };
  create();
  const std::uint32_t first = wal_checkpoint_sequence(wal);
  // About 13 pages a paste (its row, its overflow, index leaves): past 1,000 pages within
  // 100 pastes. Then slowly, so that the checkpointer gets its turn on a busy machine.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (wal_checkpoint_sequence(wal) == first && std::chrono::steady_clock::now() < deadline) {
    create();
    if (created > 200) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  EXPECT_NE(wal_checkpoint_sequence(wal), first);
  EXPECT_EQ(store_->stats().paste_count, created);
}

}  // namespace
}  // namespace sillypaste::store
