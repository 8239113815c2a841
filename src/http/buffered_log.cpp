#include "http/buffered_log.hpp"

#include "core/thread_name.hpp"

namespace sillypaste::http {

BufferedLog::BufferedLog(Options options)
    : options_(options), thread_([this] {
        core::name_this_thread("sp-access-log");
        run();
      }) {}

BufferedLog::~BufferedLog() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_.notify_one();
  room_.notify_all();
  thread_.join();
}

void BufferedLog::append(std::string_view line) {
  std::unique_lock lock(mutex_);
  room_.wait(lock, [&] { return held_.size() < options_.most_held || stopping_; });
  if (stopping_) {  // the thread is gone or going: write it here, in order
    std::fwrite(line.data(), 1, line.size(), options_.stream);
    std::fflush(options_.stream);
    return;
  }
  const bool was_empty = held_.empty();
  held_.append(line);
  const bool full = held_.size() >= options_.most_held;
  lock.unlock();
  if (was_empty || full) {
    work_.notify_one();
  }
}

void BufferedLog::flush() {
  std::unique_lock lock(mutex_);
  // The batch that holds the last line appended: the next one taken, or the one being written.
  const auto last = held_.empty() ? taken_batches_ : taken_batches_ + 1;
  if (written_batches_ >= last) {
    return;
  }
  flush_wanted_ = true;
  lock.unlock();
  work_.notify_one();
  lock.lock();
  room_.wait(lock, [&] { return written_batches_ >= last || stopping_; });
}

void BufferedLog::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    work_.wait(lock, [&] { return !held_.empty() || stopping_; });
    if (held_.empty()) {
      break;  // stopping, and nothing left
    }
    // Gathers the lines of the next `interval` into the same write.
    work_.wait_for(lock, options_.interval, [&] {
      return stopping_ || flush_wanted_ || held_.size() >= options_.most_held;
    });
    std::string batch;
    batch.swap(held_);
    flush_wanted_ = false;
    ++taken_batches_;
    lock.unlock();
    room_.notify_all();
    std::fwrite(batch.data(), 1, batch.size(), options_.stream);
    std::fflush(options_.stream);
    lock.lock();
    ++written_batches_;
    room_.notify_all();
  }
}

BufferedLog& access_log_stream() {
  static BufferedLog log(BufferedLog::Options{});
  return log;
}

}  // namespace sillypaste::http
