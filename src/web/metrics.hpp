#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "core/model.hpp"
#include "jobs/expiry_monitor.hpp"

namespace sillypaste::web {

// Counters for /metrics (Prometheus text format 0.0.4): requests by route and status, a
// latency histogram, database errors; pastes and expiry figures are read at scrape time.
class Metrics {
 public:
  static constexpr std::array<double, 11> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                   0.1,   0.25,   0.5,   1.0,  2.5};

  void observe(std::string_view route, unsigned status, double seconds);
  void count_database_error() { database_errors_.fetch_add(1, std::memory_order_relaxed); }

  // search_backlog: pastes waiting for the SQLite search index (always 0 on PostgreSQL).
  [[nodiscard]] std::string render(const core::Stats& stats,
                                   const jobs::ExpiryMonitor::Snapshot& expiry,
                                   long long search_backlog) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
  std::array<std::uint64_t, kBuckets.size()> bucket_counts_{};
  std::uint64_t latency_count_ = 0;
  double latency_sum_ = 0;
  std::atomic<std::uint64_t> database_errors_{0};
};

}  // namespace sillypaste::web
