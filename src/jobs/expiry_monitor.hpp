#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "core/time.hpp"

namespace sillypaste::jobs {

// What the expiry timer last did, for /health/ and /metrics: a pass that fails is
// logged and retried at the next tick, and health turns bad when the last success is
// older than three intervals.
class ExpiryMonitor {
 public:
  struct Snapshot {
    std::optional<core::Micros> last_success;
    std::optional<core::Micros> last_failure;
    std::string last_error;
    std::int64_t passes = 0;
    std::int64_t failures = 0;
  };

  void record_success(core::Micros when) {
    std::lock_guard lock(mutex_);
    state_.last_success = when;
    ++state_.passes;
  }

  void record_failure(core::Micros when, std::string error) {
    std::lock_guard lock(mutex_);
    state_.last_failure = when;
    state_.last_error = std::move(error);
    ++state_.failures;
  }

  [[nodiscard]] Snapshot snapshot() const {
    std::lock_guard lock(mutex_);
    return state_;
  }

 private:
  mutable std::mutex mutex_;
  Snapshot state_;
};

}  // namespace sillypaste::jobs
