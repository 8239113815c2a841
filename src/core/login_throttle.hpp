#pragma once

#include <cstddef>
#include <string_view>

#include "core/rate_limiter.hpp"
#include "core/time.hpp"

namespace sillypaste::core {

// Counts failed logins per key ("user:<lower-cased name>", "ip:<address>") in a sliding
// window and blocks a key once it has max_failures inside it (SILLYPASTE_RATE_LIMIT_LOGIN;
// 0 failures = never blocks). Bounded and thread-safe as RateLimiter is.
class LoginThrottle {
 public:
  static constexpr int kDefaultMaxFailures = 10;
  static constexpr Micros kDefaultWindow = Micros{5} * 60 * kMicrosPerSecond;
  static constexpr std::size_t kDefaultMaxKeys = RateLimiter::kDefaultMaxKeys;

  explicit LoginThrottle(int max_failures = kDefaultMaxFailures, Micros window = kDefaultWindow,
                         std::size_t max_keys = kDefaultMaxKeys);

  // Refused while `key` has max_failures failures in (now - window, now].
  [[nodiscard]] RateDecision check(std::string_view key, Micros now) {
    return failures_.check(key, now);
  }
  [[nodiscard]] bool blocked(std::string_view key, Micros now) { return !check(key, now).allowed; }
  void record_failure(std::string_view key, Micros now) { failures_.record(key, now); }
  // Forgets the key's failures (after a successful login).
  void reset(std::string_view key) { failures_.reset(key); }
  // Keys currently tracked (for tests).
  [[nodiscard]] std::size_t size() const { return failures_.size(); }

 private:
  RateLimiter failures_;
};

}  // namespace sillypaste::core
