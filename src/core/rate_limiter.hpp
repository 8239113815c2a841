#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/time.hpp"

namespace sillypaste::core {

// How a RateLimiter answered.
struct RateDecision {
  bool allowed = true;
  Micros retry_after = 0;  // when refused: how long until one more event is allowed

  // For a Retry-After header: whole seconds, rounded up, at least 1.
  [[nodiscard]] long long retry_after_seconds() const;
};

// Allows at most `limit` events per key (a client address, a username) in any sliding
// window of `window`; a limit of 0 allows everything. In memory, so it resets on restart.
// Bounded: a key idle for a whole window is pruned, a key keeps at most `limit` times,
// and beyond max_keys keys or max_events stored times the least recently active keys are
// dropped. Safe to call from many threads.
class RateLimiter {
 public:
  static constexpr std::size_t kDefaultMaxKeys = 100'000;
  static constexpr std::size_t kDefaultMaxEvents = 2'000'000;

  RateLimiter(int limit, Micros window, std::size_t max_keys = kDefaultMaxKeys,
              std::size_t max_events = kDefaultMaxEvents);

  // Counts one event for `key` when the limit allows it; a refused event is not counted.
  [[nodiscard]] RateDecision acquire(std::string_view key, Micros now);
  // Whether an event would be allowed now, counting nothing.
  [[nodiscard]] RateDecision check(std::string_view key, Micros now);
  // Counts one event whatever the limit says (a failed login has happened).
  void record(std::string_view key, Micros now);
  // Forgets the key's events.
  void reset(std::string_view key);

  [[nodiscard]] bool enabled() const { return limit_ > 0; }
  // Keys currently tracked and times stored (for tests).
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t stored_events() const;

 private:
  struct Entry {
    std::vector<Micros> times;  // ascending; those before `first` are already forgotten
    std::size_t first = 0;
    std::list<const std::string*>::iterator recency;

    [[nodiscard]] std::size_t count() const { return times.size() - first; }
  };

  [[nodiscard]] RateDecision decide(Entry& entry, Micros now);
  void forget_oldest(Entry& entry);
  void drop_expired(Entry& entry, Micros now);
  void add(std::string_view key, Micros now);
  void erase(std::unordered_map<std::string, Entry>::iterator found);
  void prune(Micros now);
  void enforce_bounds();

  const int limit_;
  const Micros window_;
  const std::size_t max_keys_;
  const std::size_t max_events_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  // Most recently active first. It points at the map's keys: elements of an unordered_map
  // keep their addresses when it rehashes.
  std::list<const std::string*> recency_;
  std::size_t events_ = 0;          // times stored over all keys
};

// The key a client address is limited under: an IPv6 address by its /64 (one subscriber's
// network), an IPv4 address (also IPv4-mapped IPv6) as itself, anything else cut short.
[[nodiscard]] std::string address_key(std::string_view address);

}  // namespace sillypaste::core
