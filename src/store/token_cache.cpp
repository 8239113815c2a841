#include "store/token_cache.hpp"

#include <cstring>
#include <utility>

#include "core/random.hpp"

namespace sillypaste::store {

TokenCache::TokenCache(Clock::duration lifetime, std::size_t capacity)
    : lifetime_(lifetime), capacity_(capacity == 0 ? 1 : capacity) {}

std::size_t TokenCache::DigestHash::operator()(const Digest& digest) const noexcept {
  std::size_t hash = 0;  // the digest is uniform already: any of its words will do
  std::memcpy(&hash, digest.data(), sizeof hash);
  return hash;
}

std::optional<core::User> TokenCache::find(std::string_view token, Clock::time_point now) {
  const Digest digest = core::blake2b_256(token);
  const std::lock_guard lock(mutex_);
  const auto found = entries_.find(digest);
  if (found == entries_.end()) {
    return std::nullopt;
  }
  if (now - found->second.read_at >= lifetime_ || now < found->second.read_at) {
    entries_.erase(found);
    return std::nullopt;
  }
  return found->second.user;
}

std::uint64_t TokenCache::generation() const {
  const std::lock_guard lock(mutex_);
  return generation_;
}

void TokenCache::remember(std::string_view token, const core::User& user, std::uint64_t generation,
                          Clock::time_point read_at) {
  const Digest digest = core::blake2b_256(token);
  const std::lock_guard lock(mutex_);
  if (generation != generation_) {
    return;  // read before a write that may have changed it
  }
  make_room(read_at);
  entries_.insert_or_assign(digest, Entry{user, read_at});
}

void TokenCache::forget_all() {
  const std::lock_guard lock(mutex_);
  ++generation_;
  entries_.clear();
}

std::size_t TokenCache::size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

void TokenCache::make_room(Clock::time_point now) {
  if (entries_.size() < capacity_) {
    return;
  }
  std::erase_if(entries_,
                [&](const auto& entry) { return now - entry.second.read_at >= lifetime_; });
  if (entries_.size() >= capacity_) {
    entries_.clear();  // as many clients as that in one second: start again
  }
}

}  // namespace sillypaste::store
