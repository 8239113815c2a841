#include "core/log.hpp"

#include <unistd.h>

#include "core/line_writer.hpp"

namespace sillypaste::core {

namespace {

LineWriter& stdout_writer() {
  // Never destroyed: any thread may log until the process ends, and exit() must not wait
  // for a reader that stopped reading.
  static auto* const writer = new LineWriter(STDOUT_FILENO);
  return *writer;
}

}  // namespace

void log_line(std::string_view line) { stdout_writer().write(line); }

bool flush_log(std::chrono::steady_clock::duration timeout) {
  return stdout_writer().flush(timeout);
}

}  // namespace sillypaste::core
