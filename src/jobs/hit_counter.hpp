#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/model.hpp"

namespace sillypaste::jobs {

// Hits counted in memory and written as `hits = hits + n` by the flusher, so views never
// write to the database and no update is lost.
class HitCounter {
 public:
  void add(core::Id paste_id) {
    std::lock_guard lock(mutex_);
    ++pending_[paste_id];
  }

  [[nodiscard]] std::int64_t pending(core::Id paste_id) const {
    std::lock_guard lock(mutex_);
    const auto it = pending_.find(paste_id);
    return it == pending_.end() ? 0 : it->second;
  }

  // Takes every pending count, leaving none.
  [[nodiscard]] std::vector<std::pair<core::Id, std::int64_t>> drain() {
    std::unordered_map<core::Id, std::int64_t> taken;
    {
      std::lock_guard lock(mutex_);
      taken.swap(pending_);
    }
    return {taken.begin(), taken.end()};
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<core::Id, std::int64_t> pending_;
};

}  // namespace sillypaste::jobs
