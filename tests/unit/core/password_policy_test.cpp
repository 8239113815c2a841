#include "core/password_policy.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sillypaste::core {
namespace {

constexpr std::string_view kTooShort =
    "This password is too short. It must contain at least 8 characters.";
constexpr std::string_view kNumeric = "This password is entirely numeric.";
constexpr std::string_view kCommon = "This password is too common.";
constexpr std::string_view kSimilar = "The password is too similar to the username.";

bool has(const std::vector<std::string>& problems, std::string_view message) {
  for (const auto& problem : problems) {
    if (problem == message) {
      return true;
    }
  }
  return false;
}

struct PolicyCase {
  std::string_view password;
  std::string_view username;
  bool too_short;
  bool numeric;
  bool common;
  bool similar;
};

TEST(PasswordPolicy, each_rule_reports_its_django_message) {
  const PolicyCase cases[] = {
      {"Correct-Horse-9", "bob", false, false, false, false},
      {"Tr0ub4dor&3xyz", "alice", false, false, false, false},
      {"jürgen-Passwort-77", "maria", false, false, false, false},
      {"short", "bob", true, false, false, false},
      {"Ab1!", "bob", true, false, false, false},
      {"", "bob", true, false, false, false},
      {"8391047562", "bob", false, true, false, false},
      {"12345678", "bob", false, true, true, false},
      {"password1", "bob", false, false, true, false},
      {"PASSWORD1", "bob", false, false, true, false},
      {" qwertyuiop ", "bob", false, false, true, false},
      {"qwertyuiop", "bob", false, false, true, false},
      {"alice123", "alice", false, false, true, true},
      {"alice-x7Q9", "alice", false, false, false, true},
      {"ALICE-is-here-2024", "Alice", false, false, false, true},
      {"xX-alice-Xx", "alice", false, false, false, true},
      {"ecila-99", "alice", false, false, false, true},
      {"jsmith.2024", "j.smith", false, false, false, true},
      {"Correct-Horse-9", "", false, false, false, false},
  };
  for (const auto& c : cases) {
    const auto problems = password_problems(c.password, c.username);
    const std::string where = std::string(c.password) + " / " + std::string(c.username);
    EXPECT_EQ(has(problems, kTooShort), c.too_short) << where;
    EXPECT_EQ(has(problems, kNumeric), c.numeric) << where;
    EXPECT_EQ(has(problems, kCommon), c.common) << where;
    EXPECT_EQ(has(problems, kSimilar), c.similar) << where;
    EXPECT_EQ(problems.size(),
              static_cast<std::size_t>(c.too_short + c.numeric + c.common + c.similar))
        << where;
  }
}

TEST(PasswordPolicy, common_list_is_embedded_and_large) {
  EXPECT_TRUE(is_common_password("password"));
  EXPECT_TRUE(is_common_password("qwertyuiop"));
  EXPECT_TRUE(is_common_password("Dragon"));
  EXPECT_FALSE(is_common_password("Correct-Horse-9"));
  EXPECT_FALSE(is_common_password(""));
}

TEST(PasswordPolicy, quick_similarity_matches_difflib) {
  // difflib.SequenceMatcher(a=..., b=...).quick_ratio()
  EXPECT_DOUBLE_EQ(quick_similarity("alice123", "alice"), 10.0 / 13.0);
  EXPECT_DOUBLE_EQ(quick_similarity("abc", "xyz"), 0.0);
  EXPECT_DOUBLE_EQ(quick_similarity("abc", "cba"), 1.0);
  EXPECT_DOUBLE_EQ(quick_similarity("aab", "ab"), 0.8);
  EXPECT_DOUBLE_EQ(quick_similarity("ü", "ü"), 1.0);
  EXPECT_DOUBLE_EQ(quick_similarity("", ""), 1.0);
}

}  // namespace
}  // namespace sillypaste::core
