#include "http/access_log.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <ctime>

#include "core/text.hpp"

namespace sillypaste::http {

namespace {

// The texts of one second, kept per thread: every answer needs its Date header and its log
// line's time, and most share their second with the answer before (snprintf made them 3%
// of a paste page's CPU).
struct SecondTexts {
  std::time_t second = -1;
  std::string iso;   // "2026-11-25T14:00:00Z"
  std::string http;  // "Wed, 25 Nov 2026 14:00:00 GMT" (RFC 9110 IMF-fixdate)
};

const SecondTexts& texts_of(std::chrono::system_clock::time_point time) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  thread_local SecondTexts cached;
  const std::time_t second = std::chrono::system_clock::to_time_t(time);
  if (second != cached.second) {
    std::tm tm{};
    gmtime_r(&second, &tm);
    char text[64];  // room for any int the compiler imagines in the fields
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached.iso = text;
    std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                  tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    cached.http = text;
    cached.second = second;
  }
  return cached;
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
  std::string line;
  line.reserve(80 + entry.remote_address.size() + entry.target.size());
  line.append(texts_of(entry.time).iso).append(" ");
  append_escaped(line, entry.remote_address.empty() ? "-" : entry.remote_address);
  line.append(" \"");
  append_escaped(line, entry.method);
  line.append(" ");
  append_escaped(line, entry.target);
  line.append(" HTTP/");
  core::append_number(line, entry.version / 10);
  line.push_back('.');
  core::append_number(line, entry.version % 10);
  line.append("\" ");
  core::append_number(line, entry.status);
  line.push_back(' ');
  core::append_number(line, entry.body_bytes);
  line.push_back(' ');
  core::append_number(line, std::chrono::duration<double, std::milli>(entry.duration).count(),
                      std::chars_format::fixed, 1);
  line.append("ms\n");
  return line;
}

std::string format_access_log_json(const AccessLogEntry& entry) {
  boost::json::object object;
  object["time"] = texts_of(entry.time).iso;
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

std::string http_date(std::chrono::system_clock::time_point time) { return texts_of(time).http; }

}  // namespace sillypaste::http
