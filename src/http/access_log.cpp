#include "http/access_log.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <ctime>

namespace sillypaste::http {

namespace {

std::tm utc(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return tm;
}

void append_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == '"' || c == '\\') {
      out.append("\\x");
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xF]);
    } else {
      out.push_back(c);
    }
  }
}

}  // namespace

std::string format_access_log_line(const AccessLogEntry& entry) {
  const std::tm tm = utc(entry.time);
  char time[64];  // room for any int the compiler imagines in the fields
  std::snprintf(time, sizeof time, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  const double ms = std::chrono::duration<double, std::milli>(entry.duration).count();
  char tail[96];
  std::snprintf(tail, sizeof tail, " HTTP/%u.%u\" %u %zu %.1fms\n", entry.version / 10,
                entry.version % 10, entry.status, entry.body_bytes, ms);

  std::string line;
  line.reserve(64 + entry.remote_address.size() + entry.target.size());
  line.append(time).append(" ");
  append_escaped(line, entry.remote_address.empty() ? "-" : entry.remote_address);
  line.append(" \"");
  append_escaped(line, entry.method);
  line.append(" ");
  append_escaped(line, entry.target);
  line.append(tail);
  return line;
}

std::string format_access_log_json(const AccessLogEntry& entry) {
  const std::tm tm = utc(entry.time);
  char time[64];  // room for any int the compiler imagines in the fields
  std::snprintf(time, sizeof time, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  boost::json::object object;
  object["time"] = time;
  object["remote"] = entry.remote_address.empty() ? std::string_view("-") : entry.remote_address;
  // Targets are bytes from the network: keep them valid JSON text whatever they hold.
  std::string method, target;
  append_escaped(method, entry.method);
  append_escaped(target, entry.target);
  object["method"] = method;
  object["target"] = target;
  object["protocol"] =
      "HTTP/" + std::to_string(entry.version / 10) + "." + std::to_string(entry.version % 10);
  object["status"] = entry.status;
  object["bytes"] = entry.body_bytes;
  object["ms"] = std::chrono::duration<double, std::milli>(entry.duration).count();
  return boost::json::serialize(object) + "\n";
}

std::string http_date(std::chrono::system_clock::time_point time) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::tm tm = utc(time);
  char text[40];
  std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return text;
}

}  // namespace sillypaste::http
