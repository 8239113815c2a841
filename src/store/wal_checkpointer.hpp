#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "store/sql_dialect.hpp"

namespace soci {
class session;
}

namespace sillypaste::store {

// SQLite: copies the write-ahead log back into the database on a thread of its own.
//
// SQLite's own checkpoint runs inside the commit that made the log long. With
// synchronous = NORMAL it syncs the log and then the database file, about 4 MB each, so the
// writer stood still for several milliseconds every 1,000 pages while the clients of the
// next group commit waited: under a create load, half of the time the cores were idle.
//
// Here the writer's connection only reports the log's length (SqlDialect::defer_checkpoints).
// Once it has grown by `pages`, this thread copies it on its own connection, alongside the
// writes, syncs included, and again while the writes have added more than kFewPages
// meanwhile. A commit restarts the log only when a checkpoint has copied all of it, which
// never happens while writes go on: the writer's next commit therefore copies the last few
// pages itself, with two short syncs.
class WalCheckpointer final : public WalListener {
 public:
  // Four times SQLite's threshold for its own checkpoints (1,000): the writer's two syncs
  // come once per 16 MB of log instead of per 4 MB. Each stops every write for about 3 ms
  // on this project's benchmark host; creates gained about 4%. Pages copied are read from
  // the database file again, so readers do not search a longer log.
  static constexpr int kDefaultPages = 4000;
  // What this thread leaves to the writer; it copies at most kRounds times per checkpoint.
  static constexpr int kFewPages = 64;
  static constexpr int kRounds = 4;

  // `sql`: this thread's own connection to the database.
  WalCheckpointer(std::unique_ptr<soci::session> sql, const SqlDialect& dialect,
                  int pages = kDefaultPages);
  // Stops the thread; a checkpoint under way finishes first.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  bool wal_grew(int pages) noexcept override;

  // Waits until this thread has no checkpoint to run; returns how many it ran (tests).
  long long wait_until_idle();

 private:
  void run();
  // True when the log was copied as far as it could be.
  bool copy_log() noexcept;

  std::unique_ptr<soci::session> sql_;
  const SqlDialect& dialect_;
  int pages_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  int last_length_ = 0;        // the log's length at the previous commit
  int length_when_asked_ = 0;  // ... when the last checkpoint was asked for
  bool due_ = false;
  bool running_ = false;
  bool writer_to_finish_ = false;  // copied: the writer's next commit copies the rest
  bool stopping_ = false;
  long long finished_ = 0;
  std::thread thread_;  // last: starts once everything it reads is built
};

}  // namespace sillypaste::store
