#include "http/form.hpp"

#include <gtest/gtest.h>

namespace sillypaste::http {
namespace {

struct FormCase {
  const char* input;
  std::optional<Fields> expected;
};

class ParseUrlencoded : public ::testing::TestWithParam<FormCase> {};

TEST_P(ParseUrlencoded, decodes_or_rejects) {
  const auto& [input, expected] = GetParam();
  EXPECT_EQ(parse_urlencoded(input), expected) << "input: " << input;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseUrlencoded,
    ::testing::Values(
        FormCase{"", Fields{}}, FormCase{"a=b", Fields{{"a", "b"}}},
        FormCase{"a=b+c", Fields{{"a", "b c"}}}, FormCase{"a=b%20c", Fields{{"a", "b c"}}},
        FormCase{"a=b%2Bc", Fields{{"a", "b+c"}}},
        FormCase{"a=1&b=2", Fields{{"a", "1"}, {"b", "2"}}},
        FormCase{"a=1&a=2", Fields{{"a", "1"}, {"a", "2"}}}, FormCase{"a", Fields{{"a", ""}}},
        FormCase{"a=", Fields{{"a", ""}}}, FormCase{"=x", Fields{{"", "x"}}},
        FormCase{"a=1&&b=2&", Fields{{"a", "1"}, {"b", "2"}}},
        FormCase{"a=x=y", Fields{{"a", "x=y"}}},
        FormCase{"k%C3%A9y=%E2%82%AC", Fields{{"k\xC3\xA9y", "\xE2\x82\xAC"}}},
        FormCase{"a=\xC3\xA9 |x", Fields{{"a", "\xC3\xA9 |x"}}},  // raw, as `curl -d` sends
        FormCase{"a=%0A%00", Fields{{"a", std::string{"\n\0", 2}}}},
        FormCase{"a=%zz", std::nullopt}, FormCase{"a=%4", std::nullopt},
        FormCase{"a=%", std::nullopt}, FormCase{"%zz=1", std::nullopt},
        FormCase{"a=%FF", std::nullopt}, FormCase{"a=%C3", std::nullopt},  // truncated sequence
        FormCase{"a=%C0%AF", std::nullopt},                                // overlong '/'
        FormCase{"a=%ED%A0%80", std::nullopt},                             // surrogate
        FormCase{"a=%F4%90%80%80", std::nullopt},                          // above U+10FFFF
        FormCase{"a=\xFF", std::nullopt}),
    [](const ::testing::TestParamInfo<FormCase>& info) {
      return "case_" + std::to_string(info.index);
    });

std::string pairs(std::size_t count, std::string_view separator = "&") {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    text += (i == 0 ? "" : std::string(separator)) + "f" + std::to_string(i) + "=v";
  }
  return text;
}

TEST(ParseForm, accepts_up_to_the_field_limit) {
  const auto parsed = parse_form(pairs(kMaxFormFields));
  EXPECT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.fields.size(), kMaxFormFields);
}

TEST(ParseForm, refuses_one_field_over_the_limit) {
  const auto parsed = parse_form(pairs(kMaxFormFields + 1));
  EXPECT_EQ(parsed.error, FormError::kTooManyFields);
  EXPECT_TRUE(parsed.fields.empty());
  EXPECT_EQ(parse_urlencoded(pairs(kMaxFormFields + 1)), std::nullopt);
  EXPECT_NE(describe(parsed.error).find("more than 64 fields"), std::string::npos);
}

TEST(ParseForm, empty_pairs_do_not_count) {
  EXPECT_TRUE(parse_form(pairs(kMaxFormFields, "&&&") + std::string(10'000, '&')).ok());
}

TEST(ParseForm, refuses_ten_thousand_bare_names) {
  std::string text;
  for (int i = 0; i < 10'000; ++i) {
    text += "a&";
  }
  EXPECT_EQ(parse_form(text).error, FormError::kTooManyFields);
}

TEST(ParseForm, says_malformed_for_a_bad_escape) {
  EXPECT_EQ(parse_form("a=%zz").error, FormError::kMalformed);
}

TEST(Field, returns_first_value) {
  const Fields fields{{"a", "1"}, {"b", "2"}, {"a", "3"}};
  EXPECT_EQ(field(fields, "a"), "1");
  EXPECT_EQ(field(fields, "b"), "2");
  EXPECT_EQ(field(fields, "c"), std::nullopt);
}

TEST(EncodeQueryValue, percent_encodes_all_but_unreserved) {
  EXPECT_EQ(encode_query_value("a b&c"), "a%20b%26c");
  EXPECT_EQ(encode_query_value("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(encode_query_value("a+b=c/d?e#f%"), "a%2Bb%3Dc%2Fd%3Fe%23f%25");
  EXPECT_EQ(encode_query_value("\xC3\xA9"), "%C3%A9");
  EXPECT_EQ(encode_query_value(""), "");
}

TEST(EncodeQueryValue, round_trips_through_parse) {
  const std::string value = "x y+z&w=%\xE2\x82\xAC";
  const auto fields = parse_urlencoded("k=" + encode_query_value(value));
  ASSERT_TRUE(fields);
  EXPECT_EQ(field(*fields, "k"), value);
}

}  // namespace
}  // namespace sillypaste::http
