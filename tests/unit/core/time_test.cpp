#include "core/time.hpp"

#include <gtest/gtest.h>

namespace sillypaste::core {
namespace {

TEST(Time, FormatsIsoWithAndWithoutMicroseconds) {
  EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(1'717'230'600'000'000), "2024-06-01T08:30:00Z");
  EXPECT_EQ(format_iso8601(1'717'230'600'123'456), "2024-06-01T08:30:00.123456Z");
  EXPECT_EQ(format_human(1'717'230'600'000'000), "2024-06-01 08:30 UTC");
}

TEST(Time, ParsesDateAndTime) {
  EXPECT_EQ(parse_date_time("2024-06-01", "08:30"), 1'717'230'600'000'000);
  EXPECT_EQ(parse_date_time("2024-06-01", "08:30:00"), 1'717'230'600'000'000);
  for (const auto& [date, time] : std::vector<std::pair<const char*, const char*>>{
           {"2024-13-01", "08:30"}, {"2023-02-29", "08:30"}, {"2024-06-01", "24:00"},
           {"2024-06-01", "8:30"}, {"24-06-01", "08:30"}, {"2024-06-01", "08:30:60"},
           {"2024/06/01", "08:30"}, {"", ""}, {"2024-06-0x", "08:30"}}) {
    EXPECT_FALSE(parse_date_time(date, time)) << date << " " << time;
  }
}

TEST(Time, ParsesIso8601WithZones) {
  EXPECT_EQ(parse_iso8601("2024-06-01T08:30:00Z"), 1'717'230'600'000'000);
  EXPECT_EQ(parse_iso8601("2024-06-01T10:30:00+02:00"), 1'717'230'600'000'000);
  EXPECT_EQ(parse_iso8601("2024-06-01T08:30:00.5Z"), 1'717'230'600'500'000);
  EXPECT_FALSE(parse_iso8601("2024-06-01T08:30:00"));
  EXPECT_FALSE(parse_iso8601("2024-06-01"));
  EXPECT_FALSE(parse_iso8601("garbage"));
}

TEST(Time, RejectsIso8601OutsideYears1To9999AfterTheOffset) {
  // Found by tests/fuzz/time_fuzz: these could not be written back as YYYY.
  EXPECT_FALSE(parse_iso8601("9999-12-31T23:59:59-23:59"));
  EXPECT_FALSE(parse_iso8601("0001-01-01T00:00:00+00:01"));
  EXPECT_TRUE(parse_iso8601("9999-12-31T23:59:59Z"));
  EXPECT_TRUE(parse_iso8601("0001-01-01T00:00:00Z"));
}

TEST(Time, RoundTripsThroughIso) {
  for (Micros t : {Micros{0}, Micros{1}, Micros{4'102'444'799'999'999}}) {
    EXPECT_EQ(parse_iso8601(format_iso8601(t)), t);
  }
}

}  // namespace
}  // namespace sillypaste::core
