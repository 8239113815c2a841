#include "core/login_throttle.hpp"

#include <algorithm>

namespace sillypaste::core {

LoginThrottle::LoginThrottle(int max_failures, Micros window, std::size_t max_keys)
    : max_failures_(std::max(1, max_failures)),
      window_(std::max<Micros>(1, window)),
      max_keys_(std::max<std::size_t>(1, max_keys)) {}

void LoginThrottle::drop_expired(Entry& entry, Micros now) const {
  while (!entry.failures.empty() && entry.failures.front() <= now - window_) {
    entry.failures.pop_front();
  }
}

bool LoginThrottle::blocked(std::string_view key, Micros now) {
  const std::lock_guard lock(mutex_);
  const auto found = entries_.find(std::string(key));
  if (found == entries_.end()) {
    return false;
  }
  drop_expired(found->second, now);
  if (found->second.failures.empty()) {
    recency_.erase(found->second.recency);
    entries_.erase(found);
    return false;
  }
  return static_cast<int>(found->second.failures.size()) >= max_failures_;
}

void LoginThrottle::record_failure(std::string_view key, Micros now) {
  const std::lock_guard lock(mutex_);
  prune(now);
  auto [it, inserted] = entries_.try_emplace(std::string(key));
  Entry& entry = it->second;
  if (inserted) {
    recency_.push_front(it->first);
  } else {
    recency_.splice(recency_.begin(), recency_, entry.recency);
  }
  entry.recency = recency_.begin();
  drop_expired(entry, now);
  entry.failures.push_back(now);
  while (static_cast<int>(entry.failures.size()) > max_failures_) {
    entry.failures.pop_front();
  }
  while (entries_.size() > max_keys_) {
    entries_.erase(recency_.back());
    recency_.pop_back();
  }
}

void LoginThrottle::reset(std::string_view key) {
  const std::lock_guard lock(mutex_);
  const auto found = entries_.find(std::string(key));
  if (found != entries_.end()) {
    recency_.erase(found->second.recency);
    entries_.erase(found);
  }
}

std::size_t LoginThrottle::size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

// The least recently failing keys sit at the back; those idle for a window go.
void LoginThrottle::prune(Micros now) {
  while (!recency_.empty()) {
    const auto found = entries_.find(recency_.back());
    if (found->second.failures.empty() || found->second.failures.back() <= now - window_) {
      entries_.erase(found);
      recency_.pop_back();
    } else {
      break;
    }
  }
}

}  // namespace sillypaste::core
