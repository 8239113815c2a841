#include "transfer/language_map.hpp"

#include <gtest/gtest.h>

#include "transfer/django_source.hpp"

namespace sillypaste::transfer {
namespace {

TEST(LanguageMap, MatchesCaseInsensitivelyAndByAlias) {
  const auto ours = our_language_names();
  EXPECT_EQ(our_language_for("Python", ours), "Python");
  EXPECT_EQ(our_language_for("python 2.x", ours), "Python");
  EXPECT_EQ(our_language_for("C++", ours), "C++");
  EXPECT_EQ(our_language_for("markdown", ours), "markdown");
  EXPECT_EQ(our_language_for("org-mode", ours), "org-mode");
  EXPECT_EQ(our_language_for("OCaml", ours), "Objective Caml");
  EXPECT_EQ(our_language_for("Hybris", ours), std::nullopt);
}

TEST(DjangoTime, ParsesDjangoSqliteText) {
  EXPECT_EQ(parse_django_time("2024-03-01 06:00:00"), 1709272800LL * 1'000'000);
  EXPECT_EQ(parse_django_time("2024-03-01 06:00:00.000123"), 1709272800LL * 1'000'000 + 123);
  EXPECT_EQ(parse_django_time("2024-03-01 06:00:00+00:00"), 1709272800LL * 1'000'000);
  EXPECT_EQ(parse_django_time("garbage"), std::nullopt);
}

}  // namespace
}  // namespace sillypaste::transfer
