#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace sillypaste::transfer {

// Progress of a long copy. On a terminal: one line on stderr, redrawn at most ten times a
// second, with rows done, rate and time left; otherwise silent until finish(), which
// writes one summary line.
class Progress {
 public:
  // total: rows expected (0 when unknown). interactive: normally isatty(2).
  Progress(std::string verb, std::int64_t total, std::ostream& terminal, bool interactive);
  // Progress for the process's stderr (interactive when it is a terminal).
  [[nodiscard]] static Progress on_stderr(std::string verb, std::int64_t total);

  void set_total(std::int64_t total) { total_ = total; }
  void tick(std::int64_t rows = 1);
  // Ends the live line; writes "<verb> N rows in S s (R rows/s)<detail>" to `summary`.
  void finish(std::ostream& summary, const std::string& detail = "");
  [[nodiscard]] std::int64_t done() const { return done_; }

 private:
  void draw();
  [[nodiscard]] double elapsed_seconds() const;

  std::string verb_;
  std::int64_t total_;
  std::int64_t done_ = 0;
  std::ostream& terminal_;
  bool interactive_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace sillypaste::transfer
