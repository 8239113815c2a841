#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace sillypaste::core {

// Writes lines to a file descriptor from its own thread, in batches. A request hands its
// access-log line over and goes on: no write per request, and a reader that stops reading
// (a full pipe, a stuck journal) costs log lines instead of stalling every answer. Lines that
// find max_pending_bytes waiting are dropped and counted; a line saying how many follows the
// lines written before them.
class LineWriter {
 public:
  struct Options {
    std::size_t max_pending_bytes = std::size_t{2} << 20;
    // How long the thread gathers lines after the first one of a batch.
    std::chrono::milliseconds gather{20};
    // How long the destructor keeps trying to write to a descriptor that accepts nothing.
    std::chrono::milliseconds give_up_after{1'000};
  };

  explicit LineWriter(int fd);
  LineWriter(int fd, Options options);
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;
  ~LineWriter();  // writes what is waiting, for at most give_up_after when the fd is blocked

  // `line` should end in '\n'. Never waits for the descriptor.
  void write(std::string_view line);

  // Waits until every line handed over so far is written (or dropped); false on timeout.
  bool flush(std::chrono::steady_clock::duration timeout);

  [[nodiscard]] std::uint64_t dropped_lines() const;

 private:
  void run();
  // Writes all of `bytes`, unless the descriptor fails or, when stopping, stays blocked
  // past give_up_at_: then the rest is lost, as a write to a closed pipe loses it.
  void write_out(std::string_view bytes);

  const int fd_;
  const Options options_;
  const bool regular_file_;  // never blocks: written in one call, without poll()
  mutable std::mutex mutex_;
  std::condition_variable wake_;     // lines are waiting, or stopping
  std::condition_variable written_;  // written_bytes_ moved
  std::string pending_;
  std::uint64_t handed_bytes_ = 0;   // bytes of the lines accepted since the start
  std::uint64_t written_bytes_ = 0;  // of which written (or abandoned)
  std::uint64_t dropped_lines_ = 0;  // since the start
  std::uint64_t dropped_unreported_ = 0;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point give_up_at_{};
  std::thread thread_;
};

}  // namespace sillypaste::core
