#pragma once

#include <cstddef>
#include <cstdint>

namespace sillypaste::http {

// Raises the soft limit on open file descriptors (RLIMIT_NOFILE) to the hard limit, as
// far as the kernel allows, and returns the soft limit now in effect. Each connection
// costs one descriptor; distributions start processes with a soft limit of 1024.
[[nodiscard]] std::uint64_t raise_open_file_limit();

// Descriptors a server needs to hold `max_connections` connections: one each, plus room
// for the listener, the database, logs, subprocess pipes and connections being refused.
[[nodiscard]] std::uint64_t descriptors_needed(std::size_t max_connections);

}  // namespace sillypaste::http
