#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/model.hpp"
#include "http/message.hpp"

namespace sillypaste::web {

// Whole answers to anonymous GETs of the listings (home, /all/, the API list) and of
// public pastes (page and raw text), so that a page many visitors load is built once
// instead of once per visitor.
//
// An answer is fresh while no write has gone through this process since it was built
// (`invalidate()` after every request that may write) and it is younger than `max_age`,
// which bounds what another process's writes, hit counts and expiries leave stale.
// Requests arriving while an answer is being built wait for it rather than build it
// again; once an answer is only too old, one request rebuilds it while the others are
// still served the old one (for up to `max_stale` more).
//
// A page's CSRF token differs per visitor, so pages are built with a random placeholder
// token and kept split around it; `Entry::assemble` puts the visitor's token back.
class ResponseCache {
 public:
  struct Limits {
    std::size_t max_entries = 256;
    std::size_t max_bytes = std::size_t{8} * 1024 * 1024;
    core::Micros max_age = 1'000'000;
    core::Micros max_stale = 5'000'000;
  };

  struct Entry {
    unsigned status = 200;
    std::string content_type;
    http::Headers headers;
    std::vector<std::string> pieces;  // the body, split where the CSRF token goes
    std::uint64_t generation = 0;
    core::Micros built = 0;
    bool keep = true;                     // false: shared with the requests waiting for it only
    std::optional<core::Micros> expires;  // never served at or after this time
    core::Id counts_hit_for = 0;          // the paste each serve counts a view of (0: none)

    [[nodiscard]] bool needs_csrf_token() const { return pieces.size() > 1; }
    // The body gzipped, made on first use; empty when it has a CSRF token (every visitor
    // gets other bytes) or compressing does not make it smaller.
    [[nodiscard]] const std::string& gzipped() const;
    [[nodiscard]] std::size_t bytes() const;
    // The answer with `csrf_token` where the placeholder was.
    [[nodiscard]] http::Response assemble(std::string_view csrf_token) const;
    // The answer without its body (status, content type, headers).
    [[nodiscard]] http::Response without_body() const;

   private:
    mutable std::once_flag gzip_once_;
    mutable std::string gzipped_;
  };
  using EntryPtr = std::shared_ptr<const Entry>;

  // The answer of an entry without a CSRF token, its body (gzipped when `gzipped` and the
  // entry has a smaller gzipped body) the entry's own bytes, kept alive by the answer:
  // not a copy per request.
  [[nodiscard]] static http::Response shared_answer(const EntryPtr& entry, bool gzipped);
  // The bytes of that body alone, kept alive by the pointer.
  [[nodiscard]] static std::shared_ptr<const std::string> shared_bytes(const EntryPtr& entry,
                                                                       bool gzipped);

  // An answer built at `generation` and `now`, split where `placeholder` stood for the
  // CSRF token.
  [[nodiscard]] static std::shared_ptr<Entry> split(http::Response response,
                                                    std::string_view placeholder,
                                                    std::uint64_t generation, core::Micros now);

  ResponseCache() : ResponseCache(Limits{}) {}
  explicit ResponseCache(Limits limits) : limits_(limits) {}

  // The answer for `key`: kept, being built by another request, or built now by
  // `build(generation)` (which reads the database at or after that generation and
  // returns `split(...)`). Only 200 answers are kept. Exceptions from `build` propagate.
  [[nodiscard]] EntryPtr answer(const std::string& key, core::Micros now,
                                const std::function<EntryPtr(std::uint64_t)>& build);

  // As answer(), but never waits: nullptr when another request is building it.
  [[nodiscard]] EntryPtr answer_without_waiting(
      const std::string& key, core::Micros now,
      const std::function<EntryPtr(std::uint64_t)>& build);

  // The answer for `key` if one can be served without building it; never waits.
  [[nodiscard]] EntryPtr peek(const std::string& key, core::Micros now) const;

  [[nodiscard]] std::uint64_t generation() const {
    return generation_.load(std::memory_order_acquire);
  }
  // Forgets every answer (after a write).
  void invalidate() { generation_.fetch_add(1, std::memory_order_acq_rel); }

  [[nodiscard]] std::size_t size() const;

 private:
  struct Slot {
    EntryPtr entry;
    std::shared_future<EntryPtr> building;  // valid while a request builds this key
    std::uint64_t building_generation = 0;
    std::uint64_t building_id = 0;
  };

  // The kept answer if it may be served: fresh, or only too old while another request
  // refreshes it.
  [[nodiscard]] EntryPtr servable_locked(const Slot& slot, core::Micros now) const;
  // answer() and answer_without_waiting().
  [[nodiscard]] EntryPtr answer(const std::string& key, core::Micros now,
                                const std::function<EntryPtr(std::uint64_t)>& build, bool wait);
  // Ends build `build_id` of `key`: keeps what it built if still worth keeping.
  void finish(const std::string& key, std::uint64_t build_id, const EntryPtr& built);
  void evict_locked(core::Micros now);

  Limits limits_;
  std::atomic<std::uint64_t> generation_{0};
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Slot> slots_;
  std::size_t bytes_ = 0;
  std::uint64_t next_build_id_ = 0;
};

}  // namespace sillypaste::web
