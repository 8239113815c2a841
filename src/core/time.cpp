#include "core/time.hpp"

#include <charconv>
#include <chrono>
#include <cctype>
#include <cstdio>

namespace sillypaste::core {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

bool parse_int(std::string_view text, int& value) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && ptr == text.data() + text.size();
}

std::optional<Micros> make_time(int y, int mo, int d, int h, int mi, int s, Micros fraction) {
  year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                     std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1 || y > 9999 || h > 23 || mi > 59 || s > 59) {
    return std::nullopt;
  }
  const auto day_count = sys_days{ymd}.time_since_epoch().count();
  return ((static_cast<Micros>(day_count) * 24 + h) * 60 + mi) * 60 * kMicrosPerSecond +
         static_cast<Micros>(s) * kMicrosPerSecond + fraction;
}

struct Parts {
  int year, month, day, hour, minute, second;
  Micros micros;
};

Parts split(Micros t) {
  Micros secs = t / kMicrosPerSecond;
  Micros micros = t % kMicrosPerSecond;
  if (micros < 0) {
    micros += kMicrosPerSecond;
    --secs;
  }
  Micros day_count = secs / 86400;
  Micros rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --day_count;
  }
  const year_month_day ymd{sys_days{days{day_count}}};
  return Parts{static_cast<int>(ymd.year()), static_cast<int>(unsigned(ymd.month())),
               static_cast<int>(unsigned(ymd.day())), static_cast<int>(rem / 3600),
               static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60), micros};
}

}  // namespace

Micros now_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string format_iso8601(Micros t) {
  const Parts p = split(t);
  char buffer[48];
  if (p.micros != 0) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", p.year, p.month,
                  p.day, p.hour, p.minute, p.second, static_cast<long long>(p.micros));
  } else {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02dZ", p.year, p.month, p.day,
                  p.hour, p.minute, p.second);
  }
  return buffer;
}

std::string format_human(Micros t) {
  const Parts p = split(t);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d UTC", p.year, p.month, p.day,
                p.hour, p.minute);
  return buffer;
}

std::optional<Micros> parse_date_time(std::string_view date, std::string_view time) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (date.size() != 10 || date[4] != '-' || date[7] != '-' || !parse_int(date.substr(0, 4), y) ||
      !parse_int(date.substr(5, 2), mo) || !parse_int(date.substr(8, 2), d)) {
    return std::nullopt;
  }
  if (time.size() != 5 && time.size() != 8) {
    return std::nullopt;
  }
  if (time[2] != ':' || !parse_int(time.substr(0, 2), h) || !parse_int(time.substr(3, 2), mi)) {
    return std::nullopt;
  }
  if (time.size() == 8 && (time[5] != ':' || !parse_int(time.substr(6, 2), s))) {
    return std::nullopt;
  }
  return make_time(y, mo, d, h, mi, s, 0);
}

std::optional<Micros> parse_iso8601(std::string_view text) {
  // YYYY-MM-DDTHH:MM[:SS[.ffffff]](Z|+HH:MM|-HH:MM)
  if (text.size() < 17 || (text[10] != 'T' && text[10] != 't' && text[10] != ' ')) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(11);
  std::size_t time_end = 0;
  while (time_end < rest.size() && (std::isdigit(static_cast<unsigned char>(rest[time_end])) ||
                                    rest[time_end] == ':')) {
    ++time_end;
  }
  const auto base = parse_date_time(text.substr(0, 10), rest.substr(0, time_end));
  if (!base) {
    return std::nullopt;
  }
  rest = rest.substr(time_end);
  Micros fraction = 0;
  if (!rest.empty() && (rest[0] == '.' || rest[0] == ',')) {
    std::size_t i = 1;
    Micros scale = 100000;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) {
      fraction += (rest[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == 1) {
      return std::nullopt;
    }
    rest = rest.substr(i);
  }
  Micros offset = 0;
  if (rest == "Z" || rest == "z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh = 0, om = 0;
    if (!parse_int(rest.substr(1, 2), oh) || !parse_int(rest.substr(4, 2), om) || oh > 23 ||
        om > 59) {
      return std::nullopt;
    }
    offset = (static_cast<Micros>(oh) * 60 + om) * 60 * kMicrosPerSecond;
    if (rest[0] == '-') {
      offset = -offset;
    }
  } else {
    return std::nullopt;
  }
  // The offset can move a time at either end of years 1..9999 outside them; such a
  // time could not be written back as YYYY (found by tests/fuzz/time_fuzz).
  const Micros t = *base + fraction - offset;
  const int year = split(t).year;
  if (year < 1 || year > 9999) {
    return std::nullopt;
  }
  return t;
}

}  // namespace sillypaste::core
