#pragma once

#include <chrono>
#include <string_view>

namespace sillypaste::core {

// Hands one line (ending in '\n') to stdout's writer thread (core/line_writer.hpp): the
// caller never waits for stdout, and lines from different threads never interleave. What
// the server logs while it runs goes here; commands that print a result use std::cout.
void log_line(std::string_view line);

// Waits up to `timeout` until the lines logged so far are written; false if they were not.
bool flush_log(std::chrono::steady_clock::duration timeout);

}  // namespace sillypaste::core
