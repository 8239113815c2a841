#include "http/file_limit.hpp"

#include <sys/resource.h>

#include <cstdint>
#include <fstream>

namespace sillypaste::http {

namespace {

constexpr std::uint64_t kReservedDescriptors = 256;

// The kernel's ceiling on descriptors per process: setrlimit refuses an infinite soft limit.
rlim_t kernel_ceiling() {
  std::ifstream file("/proc/sys/fs/nr_open");
  unsigned long long value = 0;
  return file >> value ? static_cast<rlim_t>(value) : static_cast<rlim_t>(1024 * 1024);
}

}  // namespace

std::uint64_t raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  const rlim_t wanted = limit.rlim_max == RLIM_INFINITY ? kernel_ceiling() : limit.rlim_max;
  if (limit.rlim_cur < wanted) {
    rlimit raised = limit;
    raised.rlim_cur = wanted;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? UINT64_MAX : static_cast<std::uint64_t>(limit.rlim_cur);
}

std::uint64_t descriptors_needed(std::size_t max_connections) {
  return static_cast<std::uint64_t>(max_connections) + kReservedDescriptors;
}

}  // namespace sillypaste::http
