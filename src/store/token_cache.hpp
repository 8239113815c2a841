#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "core/model.hpp"

namespace sillypaste::store {

// The users of API tokens looked up in the last second, so that a client sending many
// requests with one token costs one query a second instead of one per request (a read
// transaction on a worker, whose SQLite page cache every write makes cold again).
//
// Exact within the process: every write that may change a user or a token forgets all,
// and an answer read before such a write is not remembered after it (generation()). A
// change made by another process (a CLI import, another server on the same PostgreSQL
// database) reaches this one within `lifetime`: the freshness rule of web::ResponseCache,
// which keeps pages as long. Only users found are kept: an unknown token is looked up
// every time, as before.
//
// Entries are keyed by a BLAKE2b digest of the token, so the time a lookup takes tells
// nothing about how much of a guessed token matched one that is kept.
class TokenCache {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr Clock::duration kDefaultLifetime = std::chrono::seconds(1);
  static constexpr std::size_t kDefaultCapacity = 4096;

  explicit TokenCache(Clock::duration lifetime = kDefaultLifetime,
                      std::size_t capacity = kDefaultCapacity);

  // The user of `token`, if remembered less than `lifetime` before `now`.
  [[nodiscard]] std::optional<core::User> find(std::string_view token, Clock::time_point now);
  // Take it before reading the token's user from the database, and give it to remember().
  [[nodiscard]] std::uint64_t generation() const;
  // Keeps the user read at `read_at`, unless forget_all() ran since `generation` was taken.
  void remember(std::string_view token, const core::User& user, std::uint64_t generation,
                Clock::time_point read_at);
  void forget_all();

  [[nodiscard]] std::size_t size() const;

 private:
  using Digest = std::array<unsigned char, 32>;
  struct DigestHash {
    std::size_t operator()(const Digest& digest) const noexcept;
  };
  struct Entry {
    core::User user;
    Clock::time_point read_at;
  };

  void make_room(Clock::time_point now);  // with mutex_ held

  Clock::duration lifetime_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::uint64_t generation_ = 0;  // under mutex_
  std::unordered_map<Digest, Entry, DigestHash> entries_;
};

}  // namespace sillypaste::store
