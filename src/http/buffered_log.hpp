#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace sillypaste::http {

// Lines gathered in memory and written to a stream by a thread of their own, at most
// `interval` after they came: a request's access-log line costs an append under a lock
// instead of a write(2) of its own on the thread that answered it. Nothing is dropped:
// when `most_held` bytes wait (the reader of the stream is slower than the server), the
// threads appending wait for room.
class BufferedLog {
 public:
  struct Options {
    std::FILE* stream = stdout;
    std::chrono::milliseconds interval{50};
    std::size_t most_held = std::size_t{1} << 20;
  };

  explicit BufferedLog(Options options);
  ~BufferedLog();  // writes what is left, then stops the thread
  BufferedLog(const BufferedLog&) = delete;
  BufferedLog& operator=(const BufferedLog&) = delete;

  // `line` should end with '\n'; safe from any thread.
  void append(std::string_view line);
  // Returns once every line appended before the call has been written.
  void flush();

 private:
  void run();

  Options options_;
  std::mutex mutex_;
  std::condition_variable work_;  // the writing thread waits here
  std::condition_variable room_;  // appenders and flush() wait here
  std::string held_;
  unsigned long long taken_batches_ = 0;  // batches the thread has taken from held_
  unsigned long long written_batches_ = 0;
  bool flush_wanted_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything it reads is built
};

// The process's access log on stdout, started on first use and flushed at exit.
[[nodiscard]] BufferedLog& access_log_stream();

}  // namespace sillypaste::http
