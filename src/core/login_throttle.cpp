#include "core/login_throttle.hpp"

namespace sillypaste::core {

LoginThrottle::LoginThrottle(int max_failures, Micros window, std::size_t max_keys)
    : failures_(max_failures, window, max_keys) {}

}  // namespace sillypaste::core
