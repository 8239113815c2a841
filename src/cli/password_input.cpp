#include "cli/password_input.hpp"

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace sillypaste::cli {
namespace {

// Turns terminal echo off for its lifetime.
class EchoOff {
 public:
  EchoOff() {
    if (tcgetattr(STDIN_FILENO, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      active_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~EchoOff() {
    if (active_) {
      tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
    }
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

std::optional<std::string> read_line() {
  std::string line;
  if (!std::getline(std::cin, line)) {
    return std::nullopt;
  }
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  return line;
}

std::optional<std::string> prompt_hidden(const char* prompt) {
  std::cerr << prompt << std::flush;
  std::optional<std::string> line;
  {
    const EchoOff echo_off;
    line = read_line();
  }
  std::cerr << '\n';
  return line;
}

}  // namespace

std::optional<std::string> read_new_password(bool from_stdin) {
  if (from_stdin || isatty(STDIN_FILENO) == 0) {
    auto line = read_line();
    if (!line) {
      std::cerr << "sillypaste: error: no password on standard input\n";
    }
    return line;
  }
  auto first = prompt_hidden("Password: ");
  if (!first) {
    std::cerr << "sillypaste: error: no password given\n";
    return std::nullopt;
  }
  auto second = prompt_hidden("Password (again): ");
  if (!second || *second != *first) {
    std::cerr << "sillypaste: error: the two passwords didn't match\n";
    return std::nullopt;
  }
  return first;
}

bool report_problems(const std::vector<std::string>& problems) {
  for (const auto& problem : problems) {
    std::cerr << "sillypaste: error: " << problem << '\n';
  }
  return !problems.empty();
}

}  // namespace sillypaste::cli
