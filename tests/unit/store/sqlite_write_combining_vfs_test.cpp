// The write-combining VFS: a transaction's writes to SQLite's log reach the file as one
// write, and every connection still sees exactly what was committed.
#include "store/sqlite_write_combining_vfs.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "sqlite_session.hpp"
#include "store/sql_dialect.hpp"

namespace sillypaste::store {
namespace {

class WriteCombiningVfsTest : public testing::SqliteFileTest {
 protected:
  WriteCombiningVfsTest() : SqliteFileTest("vfs-test-") {}

  void SetUp() override {
    use_write_combining_vfs();
    SqliteFileTest::SetUp();
    *writer_ << "CREATE TABLE rows (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)";
    *writer_ << "CREATE INDEX rows_payload ON rows (payload)";
  }

  static void insert(soci::session& sql, int rows, int size, char fill) {
    for (int i = 0; i < rows; ++i) {
      const std::string payload = std::to_string(i) + std::string(size, fill);
      sql << "INSERT INTO rows (payload) VALUES (:payload)", soci::use(payload);
    }
  }

  [[nodiscard]] static long long count(soci::session& sql, char fill) {
    long long rows = 0;
    const std::string pattern = std::string("%") + fill + "%";
    sql << "SELECT COUNT(*) FROM rows WHERE payload LIKE :pattern", soci::use(pattern),
        soci::into(rows);
    return rows;
  }

  [[nodiscard]] static std::string integrity(soci::session& sql) {
    std::string result;
    sql << "PRAGMA integrity_check", soci::into(result);
    return result;
  }
};

TEST_F(WriteCombiningVfsTest, EachCommitIsSeenByAnotherConnectionAtOnce) {
  const auto reader = connect();
  for (int commit = 1; commit <= 50; ++commit) {
    *writer_ << "BEGIN IMMEDIATE";
    insert(*writer_, 3, 1500, 'a');
    *writer_ << "COMMIT";
    ASSERT_EQ(count(*reader, 'a'), 3LL * commit) << "after commit " << commit;
  }
  EXPECT_EQ(integrity(*reader), "ok");
}

TEST_F(WriteCombiningVfsTest, ATransactionsFramesReachTheFileInFewerWrites) {
  *writer_ << "INSERT INTO rows (payload) VALUES ('warm-up')";
  const WalWriteCounts before = wal_write_counts();
  for (int commit = 0; commit < 20; ++commit) {
    *writer_ << "BEGIN IMMEDIATE";
    insert(*writer_, 4, 3000, 'b');
    *writer_ << "COMMIT";
  }
  const WalWriteCounts after = wal_write_counts();
  const long long asked = after.asked - before.asked;
  const long long issued = after.issued - before.issued;
  // Each commit writes several frames, two writes each; all of them go out as one.
  EXPECT_GE(asked, 20 * 6);
  EXPECT_LE(issued, 20);
  EXPECT_EQ(count(*connect(), 'b'), 80);
}

TEST_F(WriteCombiningVfsTest, ATransactionLargerThanTheBufferIsWrittenWhole) {
  *writer_ << "PRAGMA cache_size = 20";  // pages spill to the log before the commit
  *writer_ << "BEGIN IMMEDIATE";
  insert(*writer_, 400, 4000, 'c');  // about 2 MB of frames
  *writer_ << "COMMIT";
  const auto reader = connect();
  EXPECT_EQ(count(*reader, 'c'), 400);
  EXPECT_EQ(integrity(*reader), "ok");
}

TEST_F(WriteCombiningVfsTest, FramesOfARolledBackTransactionNeverOverwriteLaterCommits) {
  *writer_ << "PRAGMA wal_autocheckpoint = 0";
  *writer_ << "PRAGMA cache_size = 5";
  *writer_ << "BEGIN IMMEDIATE";
  insert(*writer_, 20, 2000, 'x');  // spills frames to the log, the last ones still held
  *writer_ << "ROLLBACK";

  const auto other = connect();  // writes where those frames were, and commits
  *other << "BEGIN IMMEDIATE";
  insert(*other, 40, 2000, 'd');
  *other << "COMMIT";
  *writer_ << "BEGIN IMMEDIATE";
  insert(*writer_, 5, 100, 'e');
  *writer_ << "COMMIT";

  const auto reader = connect();
  EXPECT_EQ(count(*reader, 'x'), 0);
  EXPECT_EQ(count(*reader, 'd'), 40);
  EXPECT_EQ(count(*reader, 'e'), 5);
  EXPECT_EQ(integrity(*reader), "ok");
}

TEST_F(WriteCombiningVfsTest, ACopyOfTheFilesRecoversEveryCommitFromTheLog) {
  *writer_ << "PRAGMA wal_autocheckpoint = 0";  // everything stays in the log
  *writer_ << "PRAGMA cache_size = 10";  // pages change again after spilling: rewritten frames
  *writer_ << "BEGIN IMMEDIATE";
  insert(*writer_, 300, 1000, 'g');
  *writer_ << "COMMIT";
  for (int commit = 0; commit < 10; ++commit) {
    *writer_ << "BEGIN IMMEDIATE";
    insert(*writer_, 2, 500, 'h');
    *writer_ << "COMMIT";
  }
  // Without the shared-memory index, opening the copy rebuilds it from the log, checking
  // every frame's checksum: a frame or header still held, or stale, would lose commits.
  const std::filesystem::path copy = dir_ / "copy";
  std::filesystem::create_directory(copy);
  std::filesystem::copy_file(dir_ / "test.db", copy / "test.db");
  std::filesystem::copy_file(dir_ / "test.db-wal", copy / "test.db-wal");
  soci::session recovered(*soci::factory_sqlite3(), "db=\"" + (copy / "test.db").string() + "\"");
  EXPECT_EQ(count(recovered, 'g'), 300);
  EXPECT_EQ(count(recovered, 'h'), 20);
  EXPECT_EQ(integrity(recovered), "ok");
}

TEST_F(WriteCombiningVfsTest, WhatWasCommittedIsThereAfterEveryConnectionClosed) {
  *writer_ << "BEGIN IMMEDIATE";
  insert(*writer_, 10, 1000, 'f');
  *writer_ << "COMMIT";
  writer_.reset();  // the last connection: checkpoints and removes the log
  writer_ = connect();
  EXPECT_EQ(count(*writer_, 'f'), 10);
  EXPECT_EQ(integrity(*writer_), "ok");
}

}  // namespace
}  // namespace sillypaste::store
