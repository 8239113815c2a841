#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace sillypaste::http {

struct AccessLogEntry {
  std::chrono::system_clock::time_point time;
  std::string_view remote_address;
  std::string_view method;  // "-" when the request line never parsed
  std::string_view target;
  unsigned version = 11;  // 10 or 11, as Beast counts
  unsigned status = 0;
  std::size_t body_bytes = 0;
  std::chrono::steady_clock::duration duration{};
};

// `2026-11-25T14:00:00Z 127.0.0.1 "GET /all/?q=x HTTP/1.1" 200 1234 1.2ms\n`, with control
// characters, '"' and '\' in the method and target escaped as \xHH.
[[nodiscard]] std::string format_access_log_line(const AccessLogEntry& entry);

// The same entry as one JSON object per line: {"time", "remote", "method", "target",
// "protocol", "status", "bytes", "ms"} (SILLYPASTE_LOG_FORMAT=json).
[[nodiscard]] std::string format_access_log_json(const AccessLogEntry& entry);

// "Tue, 25 Nov 2026 14:00:00 GMT" (RFC 9110 IMF-fixdate), independent of the locale.
[[nodiscard]] std::string http_date(std::chrono::system_clock::time_point time);

}  // namespace sillypaste::http
