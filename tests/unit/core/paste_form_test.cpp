#include "core/paste_form.hpp"

#include <gtest/gtest.h>

#include "core/time.hpp"

namespace sillypaste::core {
namespace {

constexpr Micros kNow = Micros{1'800'000'000} * kMicrosPerSecond;

PasteFormLimits limits() {
  PasteFormLimits l;
  l.max_body_bytes = 100;
  l.now = kNow;
  l.language_exists = [](Id id) { return id == 7; };
  return l;
}

PasteFormInput valid_input() {
  PasteFormInput input;
  input.title = "  hello.py  ";
  input.body = "print(1)\r\nprint(2)\n";
  return input;
}

TEST(PasteForm, ValidInputIsTrimmedAndNormalised) {
  const auto result = validate_paste_form(valid_input(), limits());
  ASSERT_TRUE(result.fields) << result.errors.size();
  EXPECT_EQ(result.fields->title, "hello.py");
  EXPECT_EQ(result.fields->body, "print(1)\nprint(2)\n");
  EXPECT_EQ(result.fields->expiry, kNow + Micros{86400} * kMicrosPerSecond);  // default 1day
  EXPECT_FALSE(result.fields->burn);
}

TEST(PasteForm, BodyWhitespaceIsKept) {
  auto input = valid_input();
  input.body = " ";
  const auto result = validate_paste_form(input, limits());
  ASSERT_TRUE(result.fields);
  EXPECT_EQ(result.fields->body, " ");
}

TEST(PasteForm, EachBadFieldGetsItsOwnError) {
  struct Case {
    const char* name;
    void (*change)(PasteFormInput&);
    const char* field;
  };
  const Case cases[] = {
      {"missing title", [](PasteFormInput& i) { i.title = "   "; }, "title"},
      {"long title", [](PasteFormInput& i) { i.title = std::string(101, 'x'); }, "title"},
      {"empty body", [](PasteFormInput& i) { i.body = ""; }, "body"},
      {"huge body", [](PasteFormInput& i) { i.body = std::string(101, 'x'); }, "body"},
      {"invalid utf8", [](PasteFormInput& i) { i.body = "\xff\xfe"; }, "body"},
      {"unknown language", [](PasteFormInput& i) { i.language = "8"; }, "language"},
      {"language not a number", [](PasteFormInput& i) { i.language = "7x"; }, "language"},
      {"bad preset", [](PasteFormInput& i) { i.expiry_preset = "2days"; }, "expiry_preset"},
      {"custom without date",
       [](PasteFormInput& i) {
         i.expiry_preset = "custom";
         i.custom_expiry_time = "10:00";
       },
       "custom_expiry_date"},
      {"custom in the past",
       [](PasteFormInput& i) {
         i.expiry_preset = "custom";
         i.custom_expiry_date = "2020-01-01";
         i.custom_expiry_time = "10:00";
       },
       "custom_expiry_date"},
      {"custom malformed",
       [](PasteFormInput& i) {
         i.expiry_preset = "custom";
         i.custom_expiry_date = "2099-02-30";
         i.custom_expiry_time = "10:00";
       },
       "custom_expiry_date"},
  };
  for (const auto& c : cases) {
    auto input = valid_input();
    c.change(input);
    const auto result = validate_paste_form(input, limits());
    EXPECT_FALSE(result.fields) << c.name;
    EXPECT_TRUE(result.errors.contains(c.field)) << c.name;
  }
}

TEST(PasteForm, TitleLengthCountsCharactersNotBytes) {
  auto input = valid_input();
  std::string title;
  for (int i = 0; i < 100; ++i) {
    title += "ü";
  }
  input.title = title;
  EXPECT_TRUE(validate_paste_form(input, limits()).fields);
}

TEST(PasteForm, CustomExpiryInTheFutureIsKept) {
  auto input = valid_input();
  input.expiry_preset = "custom";
  input.custom_expiry_date = "2099-12-31";
  input.custom_expiry_time = "23:59:59";
  const auto result = validate_paste_form(input, limits());
  ASSERT_TRUE(result.fields);
  EXPECT_EQ(format_iso8601(*result.fields->expiry), "2099-12-31T23:59:59Z");
}

TEST(PasteForm, BurnHasNoTimeExpiry) {
  auto input = valid_input();
  input.expiry_preset = "burn";
  const auto result = validate_paste_form(input, limits());
  ASSERT_TRUE(result.fields);
  EXPECT_TRUE(result.fields->burn);
  EXPECT_FALSE(result.fields->expiry);
}

}  // namespace
}  // namespace sillypaste::core
