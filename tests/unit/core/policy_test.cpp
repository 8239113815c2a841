#include <gtest/gtest.h>

#include "core/expiry_policy.hpp"
#include "core/paste_query.hpp"
#include "core/permissions.hpp"
#include "core/random.hpp"
#include "core/text.hpp"

namespace sillypaste::core {
namespace {

TEST(ExpiryPolicy, PresetsGiveTheirDurations) {
  const Micros now = 1000;
  EXPECT_EQ(expiry_for_preset(ExpiryPreset::kOneHour, now), now + Micros{3600} * kMicrosPerSecond);
  EXPECT_EQ(expiry_for_preset(ExpiryPreset::kOneDay, now), now + Micros{86400} * kMicrosPerSecond);
  EXPECT_FALSE(expiry_for_preset(ExpiryPreset::kNever, now));
  EXPECT_FALSE(parse_expiry_preset("forever"));
  EXPECT_EQ(parse_expiry_preset("burn"), ExpiryPreset::kBurn);
}

TEST(ExpiryPolicy, ExpiredAtOrBeforeNow) {
  Paste paste;
  EXPECT_FALSE(is_expired(paste, 100));
  paste.expiry = 100;
  EXPECT_TRUE(is_expired(paste, 100));
  EXPECT_TRUE(is_expired(paste, 101));
  EXPECT_FALSE(is_expired(paste, 99));
}

TEST(Permissions, OwnerAndStaffModifyOthersDoNot) {
  Paste paste;
  paste.author_id = 5;
  EXPECT_TRUE(can_modify(paste, Viewer{5, false}));
  EXPECT_TRUE(can_modify(paste, Viewer{9, true}));
  EXPECT_FALSE(can_modify(paste, Viewer{9, false}));
  EXPECT_FALSE(can_modify(paste, Viewer{std::nullopt, false}));
  Paste anonymous;
  EXPECT_FALSE(can_modify(anonymous, Viewer{std::nullopt, false}));
}

TEST(Permissions, PrivateByIdOnlyForOwnerStaffOrImported) {
  Paste paste;
  paste.author_id = 5;
  paste.is_private = true;
  EXPECT_FALSE(can_view_by_id(paste, Viewer{}));
  EXPECT_TRUE(can_view_by_id(paste, Viewer{5, false}));
  EXPECT_TRUE(can_view_by_id(paste, Viewer{1, true}));
  paste.legacy_id_access = true;
  EXPECT_TRUE(can_view_by_id(paste, Viewer{}));
}

TEST(Sort, OnlyWhitelistedKeys) {
  EXPECT_EQ(parse_sort("hits")->field, SortField::kHits);
  EXPECT_TRUE(parse_sort("-hits")->descending);
  EXPECT_FALSE(parse_sort("hits; DROP TABLE pastes"));
  EXPECT_FALSE(parse_sort("--hits"));
  EXPECT_FALSE(parse_sort(""));
  EXPECT_FALSE(parse_sort("body"));
}

TEST(Text, Utf8ValidationAndNewlines) {
  EXPECT_TRUE(is_valid_utf8("héllo 世界 🎉"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong
  EXPECT_EQ(utf8_length("héllo"), 5u);
  EXPECT_EQ(normalize_newlines("a\r\nb\rc\n"), "a\nb\rc\n");
}

TEST(Text, AppendNumberWritesWhatToCharsWrites) {
  std::string out = "n=";
  append_number(out, 0);
  out += ' ';
  append_number(out, std::uint64_t{18'446'744'073'709'551'615U});
  out += ' ';
  append_number(out, -42);
  out += ' ';
  append_number(out, 12345.678, std::chars_format::fixed, 1);
  out += ' ';
  append_number(out, 0.05, std::chars_format::fixed, 1);
  EXPECT_EQ(out, "n=0 18446744073709551615 -42 12345.7 0.1");
  append_number(out, 1e300, std::chars_format::fixed, 1);  // 303 characters: left out
  EXPECT_EQ(out, "n=0 18446744073709551615 -42 12345.7 0.1");
}

TEST(Random, TokensAreLongAndDiffer) {
  const auto a = random_slug(16);
  const auto b = random_slug(16);
  EXPECT_NE(a, b);
  EXPECT_GE(a.size(), 21u);  // 128 bits in base64
  EXPECT_EQ(random_hex(32).size(), 64u);
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "abcd"));
}

}  // namespace
}  // namespace sillypaste::core
