#include "http/cookies.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace sillypaste::http {
namespace {

Request with_cookies(std::initializer_list<const char*> headers) {
  Request request;
  request.headers.emplace_back("host", "example.org");
  for (const char* header : headers) request.headers.emplace_back("cookie", header);
  return request;
}

struct CookieCase {
  std::vector<const char*> headers;
  const char* name;
  std::optional<std::string> expected;
};

class CookieLookup : public ::testing::TestWithParam<CookieCase> {};

TEST_P(CookieLookup, finds_value_or_nothing) {
  const auto& [headers, name, expected] = GetParam();
  Request request;
  for (const char* header : headers) request.headers.emplace_back("cookie", header);
  EXPECT_EQ(cookie(request, name), expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CookieLookup,
    ::testing::Values(CookieCase{{"a=b"}, "a", "b"}, CookieCase{{"a=b; c=d"}, "c", "d"},
                      CookieCase{{"a=b;c=d"}, "c", "d"}, CookieCase{{"  a = b ;  c=d  "}, "a", "b"},
                      CookieCase{{"a=\"quoted\""}, "a", "quoted"}, CookieCase{{"a="}, "a", ""},
                      CookieCase{{"a=b", "c=d"}, "c", "d"},  // several headers
                      CookieCase{{"a=1; a=2"}, "a", "1"},    // first wins
                      CookieCase{{"junk; a=b"}, "a", "b"},   // bad pair skipped
                      CookieCase{{"a=b=c"}, "a", "b=c"}, CookieCase{{"ab=1"}, "a", std::nullopt},
                      CookieCase{{"a=b"}, "b", std::nullopt}, CookieCase{{}, "a", std::nullopt},
                      CookieCase{{"a=x y"}, "a", std::nullopt},  // space inside
                      CookieCase{{"a=\"x"}, "a", std::nullopt},  // unbalanced quote
                      CookieCase{{"a=b"}, "", std::nullopt},
                      CookieCase{{"a=b"}, "a;", std::nullopt}),
    [](const ::testing::TestParamInfo<CookieCase>& info) {
      return "case_" + std::to_string(info.index);
    });

TEST(Cookie, ignores_other_headers) {
  Request request;
  request.headers.emplace_back("x-cookie", "a=b");
  EXPECT_EQ(cookie(request, "a"), std::nullopt);
  EXPECT_EQ(cookie(with_cookies({"a=b"}), "a"), "b");
}

TEST(SetCookieHeader, defaults_to_http_only_lax_session_cookie) {
  EXPECT_EQ(set_cookie_header("sid", "abc", {}), "sid=abc; Path=/; HttpOnly; SameSite=Lax");
}

TEST(SetCookieHeader, includes_every_attribute) {
  CookieOptions options;
  options.max_age_seconds = 3600;
  options.secure = true;
  options.same_site = "Strict";
  options.path = "/app";
  EXPECT_EQ(set_cookie_header("sid", "abc", options),
            "sid=abc; Path=/app; Max-Age=3600; HttpOnly; Secure; SameSite=Strict");
}

TEST(SetCookieHeader, deletes_with_max_age_zero_and_omits_empty_attributes) {
  CookieOptions options;
  options.max_age_seconds = 0;
  options.http_only = false;
  options.same_site = "";
  options.path = "";
  EXPECT_EQ(set_cookie_header("sid", "", options), "sid=; Max-Age=0");
}

TEST(SetCookieHeader, rejects_values_that_would_inject_attributes) {
  EXPECT_THROW((void)set_cookie_header("sid", "x; Domain=evil", {}), std::invalid_argument);
  EXPECT_THROW((void)set_cookie_header("s id", "x", {}), std::invalid_argument);
  EXPECT_THROW((void)set_cookie_header("sid", "x\r\nSet-Cookie: y=z", {}), std::invalid_argument);
  CookieOptions options;
  options.same_site = "Lax; Domain=evil";
  EXPECT_THROW((void)set_cookie_header("sid", "x", options), std::invalid_argument);
}

}  // namespace
}  // namespace sillypaste::http
