#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sillypaste::core {

// Microseconds since the Unix epoch, UTC. Every stored time uses this unit.
using Micros = std::int64_t;

constexpr Micros kMicrosPerSecond = 1'000'000;

[[nodiscard]] Micros now_micros();

// "2024-06-01T08:30:00Z", with ".ffffff" when the value has microseconds.
[[nodiscard]] std::string format_iso8601(Micros t);

// "2024-06-01 08:30 UTC", for people.
[[nodiscard]] std::string format_human(Micros t);

// Accepts "YYYY-MM-DD" and "HH:MM" or "HH:MM:SS" (UTC); nullopt when either is malformed
// or names an impossible date.
[[nodiscard]] std::optional<Micros> parse_date_time(std::string_view date, std::string_view time);

// Accepts ISO 8601 date-times with a zone: "2030-01-02T03:04:05Z", "...+02:00", optional
// fraction. nullopt when malformed.
[[nodiscard]] std::optional<Micros> parse_iso8601(std::string_view text);

}  // namespace sillypaste::core
