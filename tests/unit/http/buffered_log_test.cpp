#include "http/buffered_log.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace sillypaste::http {
namespace {

using namespace std::chrono_literals;

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

std::string contents(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char chunk[4096];
  while (const std::size_t n = std::fread(chunk, 1, sizeof chunk, file)) {
    text.append(chunk, n);
  }
  std::fseek(file, 0, SEEK_END);
  return text;
}

TEST(BufferedLog, FlushWritesEveryLineInOrder) {
  const File file(std::tmpfile());
  BufferedLog log({.stream = file.get(), .interval = 10s});
  log.append("one\n");
  log.append("two\n");
  log.flush();
  EXPECT_EQ(contents(file.get()), "one\ntwo\n");
  log.append("three\n");
  log.flush();
  EXPECT_EQ(contents(file.get()), "one\ntwo\nthree\n");
}

TEST(BufferedLog, FlushWithNothingHeldReturns) {
  const File file(std::tmpfile());
  BufferedLog log({.stream = file.get()});
  log.flush();
  EXPECT_EQ(contents(file.get()), "");
}

TEST(BufferedLog, LinesAreWrittenWithoutAFlushAfterTheInterval) {
  const File file(std::tmpfile());
  BufferedLog log({.stream = file.get(), .interval = 20ms});
  log.append("soon\n");
  std::string seen;
  for (int i = 0; i < 500 && seen.empty(); ++i) {  // at most 5 s: a liveness check only
    std::this_thread::sleep_for(10ms);
    seen = contents(file.get());
  }
  EXPECT_EQ(seen, "soon\n");
}

TEST(BufferedLog, StoppingWritesWhatIsLeft) {
  const File file(std::tmpfile());
  {
    BufferedLog log({.stream = file.get(), .interval = 10s});
    log.append("last words\n");
  }
  EXPECT_EQ(contents(file.get()), "last words\n");
}

TEST(BufferedLog, ManyThreadsPastTheLimitLoseNothingAndKeepLinesWhole) {
  const File file(std::tmpfile());
  constexpr int kThreads = 4;
  constexpr int kLines = 5'000;
  {
    // A limit far below what is appended: appenders wait for room instead of dropping.
    BufferedLog log({.stream = file.get(), .interval = 1ms, .most_held = 4096});
    std::vector<std::jthread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&log, t] {
        for (int i = 0; i < kLines; ++i) {
          log.append("thread " + std::to_string(t) + " line " + std::to_string(i) + " " +
                     std::string(static_cast<std::size_t>(i % 97), 'x') + "\n");
        }
      });
    }
  }
  std::istringstream lines(contents(file.get()));
  std::map<int, int> next_line;  // per thread: lines must come in the order appended
  std::string line;
  int total = 0;
  while (std::getline(lines, line)) {
    int t = -1, i = -1;
    ASSERT_EQ(std::sscanf(line.c_str(), "thread %d line %d", &t, &i), 2) << line;
    ASSERT_EQ(i, next_line[t]) << "thread " << t;
    ASSERT_EQ(line, "thread " + std::to_string(t) + " line " + std::to_string(i) + " " +
                        std::string(static_cast<std::size_t>(i % 97), 'x'));
    ++next_line[t];
    ++total;
  }
  EXPECT_EQ(total, kThreads * kLines);
}

}  // namespace
}  // namespace sillypaste::http
