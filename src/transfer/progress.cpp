#include "transfer/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace sillypaste::transfer {
namespace {

constexpr auto kRedraw = std::chrono::milliseconds(100);

[[nodiscard]] std::string duration_text(double seconds) {
  const auto s = static_cast<long long>(seconds + 0.5);
  char buffer[32];
  if (s >= 3600) {
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%lld:%02lld", s / 60, s % 60);
  }
  return buffer;
}

}  // namespace

Progress::Progress(std::string verb, std::int64_t total, std::ostream& terminal,
                   bool interactive)
    : verb_(std::move(verb)),
      total_(total),
      terminal_(terminal),
      interactive_(interactive),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress Progress::on_stderr(std::string verb, std::int64_t total) {
  return Progress(std::move(verb), total, std::cerr, isatty(STDERR_FILENO) == 1);
}

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::tick(std::int64_t rows) {
  done_ += rows;
  if (!interactive_) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ >= kRedraw) {
    last_draw_ = now;
    draw();
  }
}

void Progress::draw() {
  const double elapsed = elapsed_seconds();
  const double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
  std::string line = "\r" + verb_ + " " + std::to_string(done_);
  if (total_ > 0) {
    line += "/" + std::to_string(total_) + " rows (" +
            std::to_string(done_ * 100 / std::max<std::int64_t>(total_, 1)) + "%)";
  } else {
    line += " rows";
  }
  char rate_text[32];
  std::snprintf(rate_text, sizeof rate_text, ", %.0f rows/s", rate);
  line += rate_text;
  if (total_ > done_ && rate > 0) {
    line += ", " + duration_text(static_cast<double>(total_ - done_) / rate) + " left";
  }
  terminal_ << line << "\x1b[K" << std::flush;
}

void Progress::finish(std::ostream& summary, const std::string& detail) {
  if (interactive_) {
    draw();
    terminal_ << '\n' << std::flush;
  }
  const double elapsed = elapsed_seconds();
  char text[96];
  std::snprintf(text, sizeof text, " rows in %.1f s (%.0f rows/s)", elapsed,
                elapsed > 0 ? static_cast<double>(done_) / elapsed : 0.0);
  summary << verb_ << ' ' << done_ << text << detail << '\n' << std::flush;
}

}  // namespace sillypaste::transfer
