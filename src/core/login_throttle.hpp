#pragma once

#include <cstddef>
#include <deque>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/time.hpp"

namespace sillypaste::core {

// Counts failed logins per key ("user:<lower-cased name>", "ip:<address>") in a sliding
// window and blocks a key once it has max_failures inside it. In memory, so it resets on
// restart; bounded: keys idle for a whole window are pruned, and beyond max_keys the
// least recently failing key is dropped. Safe to call from many threads.
class LoginThrottle {
 public:
  static constexpr int kDefaultMaxFailures = 10;
  static constexpr Micros kDefaultWindow = 5 * 60 * kMicrosPerSecond;
  static constexpr std::size_t kDefaultMaxKeys = 100'000;

  explicit LoginThrottle(int max_failures = kDefaultMaxFailures, Micros window = kDefaultWindow,
                         std::size_t max_keys = kDefaultMaxKeys);

  // True while `key` has max_failures failures in (now - window, now].
  [[nodiscard]] bool blocked(std::string_view key, Micros now);
  void record_failure(std::string_view key, Micros now);
  // Forgets the key's failures (after a successful login).
  void reset(std::string_view key);
  // Keys currently tracked (for tests).
  [[nodiscard]] std::size_t size() const;

 private:
  struct Entry {
    std::deque<Micros> failures;  // oldest first, at most max_failures_
    std::list<std::string>::iterator recency;
  };

  void drop_expired(Entry& entry, Micros now) const;
  void prune(Micros now);

  const int max_failures_;
  const Micros window_;
  const std::size_t max_keys_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> recency_;  // most recent failure first
};

}  // namespace sillypaste::core
