#include "core/line_writer.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace sillypaste::core {
namespace {

using namespace std::chrono_literals;

struct Pipe {
  Pipe() {
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      throw std::runtime_error("pipe2 failed");
    }
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  ~Pipe() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
  [[nodiscard]] int read_end() const { return fds[0]; }
  [[nodiscard]] int write_end() const { return fds[1]; }

  // Reads until `done` is set and the pipe stays empty for a moment.
  [[nodiscard]] std::string drain(const std::atomic<bool>& done) const {
    std::string text;
    char buffer[65536];
    for (;;) {
      pollfd entry{read_end(), POLLIN, 0};
      if (::poll(&entry, 1, 50) <= 0) {
        if (done) {
          return text;
        }
        continue;
      }
      const auto got = ::read(read_end(), buffer, sizeof buffer);
      if (got <= 0) {
        return text;
      }
      text.append(buffer, static_cast<std::size_t>(got));
    }
  }

  int fds[2] = {-1, -1};
};

std::string line_of(int writer, int number) {
  return "writer " + std::to_string(writer) + " line " + std::to_string(number) + " " +
         std::string(60, 'x') + "\n";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    lines.push_back(line);
  }
  return lines;
}

TEST(LineWriter, lines_from_many_threads_arrive_whole_and_each_thread_s_in_order) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  constexpr int kThreads = 4;
  constexpr int kLines = 5'000;
  {
    LineWriter writer(::fileno(file), {.gather = 1ms});
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&writer, t] {
        for (int n = 0; n < kLines; ++n) {
          writer.write(line_of(t, n));
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    ASSERT_TRUE(writer.flush(10s));
    EXPECT_EQ(writer.dropped_lines(), 0U);
  }
  std::string text(static_cast<std::size_t>(std::ftell(file)), '\0');
  std::rewind(file);
  ASSERT_EQ(std::fread(text.data(), 1, text.size(), file), text.size());
  std::fclose(file);

  std::map<int, int> next;
  const auto lines = lines_of(text);
  ASSERT_EQ(lines.size(), std::size_t{kThreads} * kLines);
  for (const auto& line : lines) {
    int thread = -1;
    int number = -1;
    ASSERT_EQ(std::sscanf(line.c_str(), "writer %d line %d", &thread, &number), 2) << line;
    EXPECT_EQ(line + "\n", line_of(thread, number));
    EXPECT_EQ(number, next[thread]++) << line;
  }
}

TEST(LineWriter, flush_returns_once_the_lines_so_far_are_written) {
  Pipe pipe;
  LineWriter writer(pipe.write_end(), {.gather = 50ms});
  writer.write("one\n");
  writer.write("two\n");
  ASSERT_TRUE(writer.flush(10s));
  char buffer[16] = {};
  ASSERT_EQ(::read(pipe.read_end(), buffer, sizeof buffer), 8);
  EXPECT_EQ(std::string(buffer, 8), "one\ntwo\n");
}

TEST(LineWriter, a_reader_that_stops_reading_costs_lines_and_never_blocks_the_writers) {
  Pipe pipe;  // nobody reads it until every line is handed over: 64 KB fill it
  LineWriter writer(pipe.write_end(), {.max_pending_bytes = std::size_t{32} << 10, .gather = 1ms});
  constexpr int kLines = 20'000;  // 1.5 MB
  auto writes = std::async(std::launch::async, [&writer] {
    for (int n = 0; n < kLines; ++n) {
      writer.write(line_of(0, n));
    }
  });
  ASSERT_EQ(writes.wait_for(60s), std::future_status::ready) << "write() waited for the pipe";
  const auto dropped = writer.dropped_lines();
  EXPECT_GT(dropped, 0U);

  std::atomic<bool> flushed = false;
  auto reading = std::async(std::launch::async, [&] { return pipe.drain(flushed); });
  EXPECT_TRUE(writer.flush(60s));
  flushed = true;
  const auto lines = lines_of(reading.get());

  // Every line is whole, in order, and the notes account for every one that is missing.
  const std::string note_end = " log lines dropped: the output was not read fast enough";
  std::uint64_t noted = 0;
  int next = 0;
  std::size_t written = 0;
  for (const auto& line : lines) {
    unsigned long long count = 0;
    if (std::sscanf(line.c_str(), "sillypaste: %llu", &count) == 1) {
      EXPECT_TRUE(line.ends_with(note_end)) << line;
      noted += count;
      continue;
    }
    ++written;
    const auto number = std::stoi(line.substr(std::string("writer 0 line ").size()));
    EXPECT_EQ(line + "\n", line_of(0, number));
    EXPECT_GE(number, next) << "lines out of order";
    next = number + 1;
  }
  EXPECT_EQ(noted, dropped);
  EXPECT_EQ(written + dropped, std::size_t{kLines});
}

TEST(LineWriter, the_destructor_gives_up_on_a_descriptor_that_takes_nothing) {
  Pipe pipe;
  auto destroyed = std::async(std::launch::async, [&pipe] {
    LineWriter writer(pipe.write_end(), {.gather = 1ms, .give_up_after = 200ms});
    for (int n = 0; n < 2'000; ++n) {  // 150 KB: more than the pipe holds
      writer.write(line_of(0, n));
    }
  });
  EXPECT_EQ(destroyed.wait_for(60s), std::future_status::ready)
      << "the destructor waited for a reader that never came";
}

}  // namespace
}  // namespace sillypaste::core
