#include "core/username_policy.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sillypaste::core {
namespace {

TEST(UsernamePolicy, accepts_letters_digits_and_django_punctuation) {
  const std::string good[] = {
      "a",
      "alice",
      "Alice_99",
      "j.smith",
      "me@example.com",
      "a+b-c_d.e@f",
      "jürgen",
      "Ωmega",
      "日本語",
      "0",
      std::string(150, 'x'),
      std::string(75, 'x') + "ü" + std::string(74, 'y'),
  };
  for (const auto& name : good) {
    EXPECT_TRUE(username_problems(name).empty()) << name;
  }
}

TEST(UsernamePolicy, rejects_empty_long_punctuation_spaces_and_bad_utf8) {
  const std::string bad[] = {
      "",
      std::string(151, 'x'),
      "with space",
      " lead",
      "trail ",
      "tab\there",
      "new\nline",
      std::string("nul\0byte", 8),
      "slash/",
      "back\\slash",
      "<script>",
      "quote'",
      "dq\"",
      "semi;colon",
      "hash#",
      "percent%",
      "amp&",
      "star*",
      "excl!",
      "colon:",
      "comma,",
      "nbsp\u00a0here",
      "zero\u200bwidth",
      "c1\u0085control",
      "bom\ufeff",
      "\xff",
      "\xc3",
      "bad\xc3(",
      "\xed\xa0\x80",  // surrogate
      "\xc0\xaf",      // overlong '/'
  };
  for (const auto& name : bad) {
    EXPECT_FALSE(username_problems(name).empty()) << name;
  }
}

TEST(UsernamePolicy, message_names_the_allowed_characters) {
  const auto problems = username_problems("bad name");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0],
            "Enter a valid username. This value may contain only letters, numbers, and "
            "@/./+/-/_ characters.");
}

}  // namespace
}  // namespace sillypaste::core
