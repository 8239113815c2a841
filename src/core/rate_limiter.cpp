#include "core/rate_limiter.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace sillypaste::core {

long long RateDecision::retry_after_seconds() const {
  return std::max<long long>(1, (retry_after + kMicrosPerSecond - 1) / kMicrosPerSecond);
}

RateLimiter::RateLimiter(int limit, Micros window, std::size_t max_keys, std::size_t max_events)
    : limit_(std::max(0, limit)),
      window_(std::max<Micros>(1, window)),
      max_keys_(std::max<std::size_t>(1, max_keys)),
      // One key at its limit always fits.
      max_events_(std::max<std::size_t>(static_cast<std::size_t>(limit_), max_events)) {}

RateDecision RateLimiter::acquire(std::string_view key, Micros now) {
  if (!enabled()) {
    return {};
  }
  const std::lock_guard lock(mutex_);
  if (const auto found = entries_.find(std::string(key)); found != entries_.end()) {
    const auto decision = decide(found->second, now);
    if (!decision.allowed) {
      return decision;
    }
  }
  add(key, now);
  return {};
}

RateDecision RateLimiter::check(std::string_view key, Micros now) {
  if (!enabled()) {
    return {};
  }
  const std::lock_guard lock(mutex_);
  const auto found = entries_.find(std::string(key));
  if (found == entries_.end()) {
    return {};
  }
  const auto decision = decide(found->second, now);
  if (found->second.count() == 0) {
    erase(found);
  }
  return decision;
}

void RateLimiter::record(std::string_view key, Micros now) {
  if (!enabled()) {
    return;
  }
  const std::lock_guard lock(mutex_);
  add(key, now);
}

void RateLimiter::reset(std::string_view key) {
  const std::lock_guard lock(mutex_);
  if (const auto found = entries_.find(std::string(key)); found != entries_.end()) {
    erase(found);
  }
}

std::size_t RateLimiter::size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

std::size_t RateLimiter::stored_events() const {
  const std::lock_guard lock(mutex_);
  return events_;
}

RateDecision RateLimiter::decide(Entry& entry, Micros now) {
  drop_expired(entry, now);
  if (entry.count() < static_cast<std::size_t>(limit_)) {
    return {};
  }
  // The limit-th newest event leaving the window makes room for one more.
  const Micros oldest_counted =
      entry.times[entry.times.size() - static_cast<std::size_t>(limit_)];
  return RateDecision{false, std::clamp<Micros>(oldest_counted + window_ - now, 1, window_)};
}

// Spent times are skipped, and moved out only once they are half the vector: each event
// is moved a constant number of times on average.
void RateLimiter::forget_oldest(Entry& entry) {
  ++entry.first;
  --events_;
  if (entry.first * 2 >= entry.times.size()) {
    entry.times.erase(entry.times.begin(),
                      entry.times.begin() + static_cast<std::ptrdiff_t>(entry.first));
    entry.first = 0;
  }
}

void RateLimiter::drop_expired(Entry& entry, Micros now) {
  while (entry.count() > 0 && entry.times[entry.first] <= now - window_) {
    forget_oldest(entry);
  }
}

void RateLimiter::add(std::string_view key, Micros now) {
  prune(now);
  auto [it, inserted] = entries_.try_emplace(std::string(key));
  Entry& entry = it->second;
  if (inserted) {
    recency_.push_front(&it->first);
  } else {
    recency_.splice(recency_.begin(), recency_, entry.recency);
  }
  entry.recency = recency_.begin();
  drop_expired(entry, now);
  // Requests finish out of order, so a time may come in a little behind the newest.
  const auto begin = entry.times.begin() + static_cast<std::ptrdiff_t>(entry.first);
  entry.times.insert(std::upper_bound(begin, entry.times.end(), now), now);
  ++events_;
  while (entry.count() > static_cast<std::size_t>(limit_)) {
    forget_oldest(entry);
  }
  enforce_bounds();
}

void RateLimiter::erase(std::unordered_map<std::string, Entry>::iterator found) {
  events_ -= found->second.count();
  recency_.erase(found->second.recency);
  entries_.erase(found);
}

// The least recently active keys sit at the back; those idle for a whole window go.
void RateLimiter::prune(Micros now) {
  while (!recency_.empty()) {
    const auto found = entries_.find(*recency_.back());
    const Entry& entry = found->second;
    if (entry.count() > 0 && entry.times.back() > now - window_) {
      break;
    }
    erase(found);
  }
}

void RateLimiter::enforce_bounds() {
  while (recency_.size() > 1 && (entries_.size() > max_keys_ || events_ > max_events_)) {
    erase(entries_.find(*recency_.back()));
  }
}

std::string address_key(std::string_view address) {
  constexpr std::size_t kMaxKeyLength = 64;
  const std::string text(address.substr(0, kMaxKeyLength));
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) {
    return text;
  }
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    char v4[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &v6.s6_addr[12], v4, sizeof v4);
    return v4;
  }
  std::memset(&v6.s6_addr[8], 0, 8);
  char network[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, &v6, network, sizeof network);
  return std::string(network) + "/64";
}

}  // namespace sillypaste::core
