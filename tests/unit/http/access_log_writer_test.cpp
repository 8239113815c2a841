// AccessLogWriter: access log lines written from a thread of their own, many per write().
#include "http/access_log_writer.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace sillypaste::http {
namespace {

using namespace std::chrono_literals;

// Both ends of a pipe, closed when the test ends.
struct Pipe {
  Pipe() {
    std::array<int, 2> ends{};
    if (::pipe2(ends.data(), O_CLOEXEC) != 0) {
      throw std::runtime_error("pipe2 failed");
    }
    read_end = ends[0];
    write_end = ends[1];
  }
  ~Pipe() {
    close_read();
    if (write_end >= 0) {
      ::close(write_end);
    }
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;

  void close_read() {
    if (read_end >= 0) {
      ::close(read_end);
      read_end = -1;
    }
  }
  // Everything until the write end is closed.
  std::string read_all() const {
    std::string all;
    std::array<char, 65536> chunk{};
    ssize_t n = 0;
    while ((n = ::read(read_end, chunk.data(), chunk.size())) > 0) {
      all.append(chunk.data(), static_cast<std::size_t>(n));
    }
    return all;
  }

  int read_end = -1;
  int write_end = -1;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

TEST(AccessLogWriterTest, every_line_of_many_threads_arrives_whole_and_in_each_threads_order) {
  constexpr int kThreads = 8;
  constexpr int kLines = 5000;  // about 3 MB in all: past kMaxPendingBytes, writers wait
  Pipe pipe;
  std::string received;
  std::thread reader([&] { received = pipe.read_all(); });
  {
    AccessLogWriter writer(pipe.write_end);
    std::vector<std::jthread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&writer, t] {
        const std::string padding(50, 'x');
        for (int i = 0; i < kLines; ++i) {
          writer.write(std::to_string(t) + " " + std::to_string(i) + " " + padding + "\n");
        }
      });
    }
  }  // the threads end first, then the writer, which writes what is left
  ::close(pipe.write_end);
  pipe.write_end = -1;
  reader.join();

  const std::vector<std::string> lines = lines_of(received);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kLines));
  std::map<int, int> next;  // per thread, the line number expected next
  for (const std::string& line : lines) {
    int thread = -1;
    int number = -1;
    char rest[64] = {};
    ASSERT_EQ(std::sscanf(line.c_str(), "%d %d %63s", &thread, &number, rest), 3) << line;
    ASSERT_EQ(std::string(rest), std::string(50, 'x')) << line;
    ASSERT_EQ(number, next[thread]) << "thread " << thread;
    next[thread] = number + 1;
  }
  EXPECT_EQ(next.size(), static_cast<std::size_t>(kThreads));
}

TEST(AccessLogWriterTest, a_line_is_written_within_the_delay_while_the_writer_lives) {
  Pipe pipe;
  AccessLogWriter writer(pipe.write_end, 5ms);
  writer.write("GET / 200\n");
  // Far longer than the delay, so that a loaded machine does not fail it; a writer that only
  // wrote on destruction never gets there.
  ASSERT_EQ(::fcntl(pipe.read_end, F_SETFL, O_NONBLOCK), 0);
  std::string got;
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  while (got.size() < 10 && std::chrono::steady_clock::now() < give_up) {
    std::array<char, 64> chunk{};
    const ssize_t n = ::read(pipe.read_end, chunk.data(), chunk.size());
    if (n > 0) {
      got.append(chunk.data(), static_cast<std::size_t>(n));
    } else {
      std::this_thread::sleep_for(1ms);
    }
  }
  EXPECT_EQ(got, "GET / 200\n");
}

TEST(AccessLogWriterTest, a_reader_that_went_away_neither_kills_the_process_nor_blocks_writes) {
  Pipe pipe;
  pipe.close_read();  // a write now raises SIGPIPE, which would end the test binary
  {
    AccessLogWriter writer(pipe.write_end, 1ms);
    for (int i = 0; i < 20000; ++i) {  // more than kMaxPendingBytes: write() must not wait
      writer.write("GET /some/fairly/long/path/to/make/the/lines/add/up 200 1234 0.1ms\n");
    }
  }
  SUCCEED();  // reached: not killed by SIGPIPE, not stuck
}

}  // namespace
}  // namespace sillypaste::http
