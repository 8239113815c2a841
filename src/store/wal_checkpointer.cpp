#include "store/wal_checkpointer.hpp"

#include <soci/soci.h>

#include <exception>
#include <iostream>
#include <utility>

#include "core/thread_name.hpp"

namespace sillypaste::store {

WalCheckpointer::WalCheckpointer(std::unique_ptr<soci::session> sql, const SqlDialect& dialect,
                                 int pages)
    : sql_(std::move(sql)),
      dialect_(dialect),
      pages_(pages > 0 ? pages : kDefaultPages),
      thread_([this] {
        core::name_this_thread("sp-checkpoint");
        run();
      }) {}

WalCheckpointer::~WalCheckpointer() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

bool WalCheckpointer::wal_grew(int pages) noexcept {
  const std::lock_guard lock(mutex_);
  if (pages < last_length_) {
    length_when_asked_ = 0;  // the log was restarted
  }
  last_length_ = pages;
  if (writer_to_finish_) {
    writer_to_finish_ = false;
    return true;
  }
  // A log still long after a checkpoint (a reader kept it from being restarted) is copied
  // again once it has grown by as much again, not after every commit.
  if (!due_ && !running_ && pages - length_when_asked_ >= pages_) {
    due_ = true;
    length_when_asked_ = pages;
    wake_.notify_one();
  }
  return false;
}

long long WalCheckpointer::wait_until_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return !due_ && !running_; });
  return finished_;
}

void WalCheckpointer::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || due_; });
    if (stopping_) {
      return;
    }
    due_ = false;
    running_ = true;
    lock.unlock();
    const bool copied = copy_log();
    lock.lock();
    running_ = false;
    writer_to_finish_ = copied;
    ++finished_;
    idle_.notify_all();
  }
}

bool WalCheckpointer::copy_log() noexcept {
  try {
    for (int round = 0; round < kRounds; ++round) {
      const int copied = dialect_.checkpoint(*sql_);
      const std::lock_guard lock(mutex_);
      if (last_length_ - copied <= kFewPages) {
        break;
      }
    }
    return true;
  } catch (const std::exception& error) {
    // The log only grows meanwhile; the next one is asked for after as many pages again.
    std::cerr << "sillypaste: WAL checkpoint failed (will retry): " << error.what() << '\n';
    return false;
  }
}

}  // namespace sillypaste::store
