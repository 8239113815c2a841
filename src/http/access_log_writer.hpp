#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace sillypaste::http {

// Writes access log lines to a file descriptor from a thread of its own, many lines per
// write(). Writing each line as it came (one write and one lock shared by every network
// thread, per request) cost a system call per request, and a slow reader of stdout (a
// journal, a pipe) held up every network thread. A line reaches the descriptor at most
// `delay` after it was logged, sooner when kFlushBytes wait; lines are never dropped:
// past kMaxPendingBytes, write() waits for the descriptor.
class AccessLogWriter {
 public:
  static constexpr std::size_t kFlushBytes = std::size_t{64} * 1024;
  static constexpr std::size_t kMaxPendingBytes = std::size_t{1024} * 1024;

  explicit AccessLogWriter(int fd, std::chrono::milliseconds delay = std::chrono::milliseconds(20));
  // Writes every line logged before it.
  ~AccessLogWriter();
  AccessLogWriter(const AccessLogWriter&) = delete;
  AccessLogWriter& operator=(const AccessLogWriter&) = delete;

  // Queues one or more whole lines (each ending in '\n'); safe from any thread.
  void write(std::string_view lines);

 private:
  void run();

  int fd_;
  std::chrono::milliseconds delay_;
  std::mutex mutex_;
  std::condition_variable wake_;  // the thread: lines to write, or stopping
  std::condition_variable room_;  // writers waiting for pending_ to shrink
  std::string pending_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything it reads is built
};

}  // namespace sillypaste::http
