#include "http/file_limit.hpp"

#include <sys/resource.h>

namespace sillypaste::http {

namespace {

constexpr std::uint64_t kReservedDescriptors = 256;

}  // namespace

std::uint64_t raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur != limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? UINT64_MAX : static_cast<std::uint64_t>(limit.rlim_cur);
}

std::uint64_t descriptors_needed(std::size_t max_connections) {
  return static_cast<std::uint64_t>(max_connections) + kReservedDescriptors;
}

}  // namespace sillypaste::http
