#include "web/metrics.hpp"

#include <cstdio>

namespace sillypaste::web {
namespace {

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

}  // namespace

void Metrics::observe(std::string_view route, unsigned status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), status}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++bucket_counts_[i];
    }
  }
  ++latency_count_;
  latency_sum_ += seconds;
}

std::string Metrics::render(const core::Stats& stats, const jobs::ExpiryMonitor::Snapshot& expiry,
                            long long search_backlog) const {
  std::string out;
  {
    std::lock_guard lock(mutex_);
    header(out, "sillypaste_http_requests_total", "counter", "HTTP requests by route and status.");
    for (const auto& [key, count] : requests_) {
      out += "sillypaste_http_requests_total{route=\"" + key.first + "\",status=\"" +
             std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
    }
    header(out, "sillypaste_http_request_duration_seconds", "histogram",
           "Time to answer a request, in seconds.");
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out += "sillypaste_http_request_duration_seconds_bucket{le=\"" + number(kBuckets[i]) +
             "\"} " + std::to_string(bucket_counts_[i]) + "\n";
    }
    out += "sillypaste_http_request_duration_seconds_bucket{le=\"+Inf\"} " +
           std::to_string(latency_count_) + "\n";
    out += "sillypaste_http_request_duration_seconds_sum " + number(latency_sum_) + "\n";
    out +=
        "sillypaste_http_request_duration_seconds_count " + std::to_string(latency_count_) + "\n";
  }
  header(out, "sillypaste_database_errors_total", "counter",
         "Requests that failed because of the database.");
  out += "sillypaste_database_errors_total " +
         std::to_string(database_errors_.load(std::memory_order_relaxed)) + "\n";
  header(out, "sillypaste_pastes", "gauge", "Pastes stored.");
  out += "sillypaste_pastes " + std::to_string(stats.paste_count) + "\n";
  header(out, "sillypaste_paste_bytes", "gauge", "Bytes of pastes stored.");
  out += "sillypaste_paste_bytes " + std::to_string(stats.paste_bytes) + "\n";
  header(out, "sillypaste_search_backlog", "gauge",
         "Pastes not yet in the search index (searches still find them, more slowly).");
  out += "sillypaste_search_backlog " + std::to_string(search_backlog) + "\n";
  header(out, "sillypaste_users", "gauge", "Users by kind.");
  out += "sillypaste_users{kind=\"registered\"} " + std::to_string(stats.registered_users) + "\n";
  out += "sillypaste_users{kind=\"anonymous\"} " + std::to_string(stats.anonymous_users) + "\n";
  header(out, "sillypaste_expiry_passes_total", "counter",
         "In-process expiry passes since start, by outcome.");
  out +=
      "sillypaste_expiry_passes_total{outcome=\"success\"} " + std::to_string(expiry.passes) + "\n";
  out += "sillypaste_expiry_passes_total{outcome=\"failure\"} " + std::to_string(expiry.failures) +
         "\n";
  header(out, "sillypaste_expiry_last_success_timestamp_seconds", "gauge",
         "Unix time of the last successful expiry pass.");
  out += "sillypaste_expiry_last_success_timestamp_seconds " +
         std::to_string(expiry.last_success ? *expiry.last_success / core::kMicrosPerSecond : 0) +
         "\n";
  header(out, "sillypaste_pastes_expired_total", "counter", "Pastes removed by expiry, ever.");
  out += "sillypaste_pastes_expired_total " + std::to_string(stats.total_expired) + "\n";
  return out;
}

}  // namespace sillypaste::web
