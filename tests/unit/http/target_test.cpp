#include "http/target.hpp"

#include <gtest/gtest.h>

#include "http/access_log.hpp"
#include "http/message.hpp"

namespace sillypaste::http {
namespace {

struct TargetCase {
  const char* target;
  std::optional<std::pair<std::string, std::string>> expected;  // path, query
};

class ParseTarget : public ::testing::TestWithParam<TargetCase> {};

TEST_P(ParseTarget, splits_and_decodes) {
  const auto& [target, expected] = GetParam();
  const auto parsed = parse_target(target);
  ASSERT_EQ(parsed.has_value(), expected.has_value()) << target;
  if (parsed) {
    EXPECT_EQ(parsed->path, expected->first) << target;
    EXPECT_EQ(parsed->query, expected->second) << target;
  }
}

using P = std::pair<std::string, std::string>;
INSTANTIATE_TEST_SUITE_P(
    Table, ParseTarget,
    ::testing::Values(TargetCase{"/", P{"/", ""}}, TargetCase{"/all/?q=x", P{"/all/", "q=x"}},
                      TargetCase{"/a%20b/c+d", P{"/a b/c+d", ""}},
                      TargetCase{"/%2e%2e/%2fetc", P{"/../"
                                                     "/etc",
                                                     ""}},
                      TargetCase{"/x?a=%zz", P{"/x", "a=%zz"}},  // query stays raw
                      TargetCase{"/x?", P{"/x", ""}}, TargetCase{"/x#frag", P{"/x", ""}},
                      TargetCase{"/\xC3\xA9", P{"/\xC3\xA9", ""}},
                      TargetCase{"http://example.org/a?b=1", P{"/a", "b=1"}},
                      TargetCase{"HTTP://example.org", P{"/", ""}},
                      TargetCase{"/%zz", std::nullopt}, TargetCase{"/%4", std::nullopt},
                      TargetCase{"/%", std::nullopt}, TargetCase{"/a%00b", std::nullopt},
                      TargetCase{"*", std::nullopt}, TargetCase{"", std::nullopt},
                      TargetCase{"example.org:443", std::nullopt}),
    [](const ::testing::TestParamInfo<TargetCase>& info) {
      return "case_" + std::to_string(info.index);
    });

TEST(RequestHeader, is_case_insensitive_and_returns_first) {
  Request request;
  request.headers = {{"x-a", "1"}, {"x-a", "2"}};
  EXPECT_EQ(request.header("X-A"), "1");
  EXPECT_EQ(request.header("x-b"), std::nullopt);
}

TEST(AccessLog, formats_one_line_and_escapes_control_characters) {
  using namespace std::chrono;
  const auto time = sys_days{year{2026} / 11 / 25} + hours{14};
  const std::string target = "/a\x1b[31m\"\\\n";
  const auto line =
      format_access_log_line({time, "127.0.0.1", "GET", target, 11, 200, 1234, microseconds{1200}});
  EXPECT_EQ(line,
            "2026-11-25T14:00:00Z 127.0.0.1 \"GET /a\\x1b[31m\\x22\\x5c\\x0a HTTP/1.1\" 200 1234 "
            "1.2ms\n");
}

TEST(AccessLog, formats_protocol_status_size_and_milliseconds) {
  using namespace std::chrono;
  const auto time = sys_days{year{2027} / 1 / 2} + hours{3} + minutes{4} + seconds{5};
  EXPECT_EQ(format_access_log_line({time, "::1", "POST", "/", 10, 413, 0, microseconds{0}}),
            "2027-01-02T03:04:05Z ::1 \"POST / HTTP/1.0\" 413 0 0.0ms\n");
  EXPECT_EQ(format_access_log_line({time, "", "-", "-", 11, 201, 98765, microseconds{12'345'678}}),
            "2027-01-02T03:04:05Z - \"- - HTTP/1.1\" 201 98765 12345.7ms\n");
}

TEST(HttpDate, follows_the_second_from_one_call_to_the_next) {
  using namespace std::chrono;
  const auto time = sys_days{year{2026} / 12 / 31} + hours{23} + minutes{59} + seconds{59};
  EXPECT_EQ(http_date(time), "Thu, 31 Dec 2026 23:59:59 GMT");
  EXPECT_EQ(http_date(time + milliseconds{999}), "Thu, 31 Dec 2026 23:59:59 GMT");
  EXPECT_EQ(http_date(time + seconds{1}), "Fri, 01 Jan 2027 00:00:00 GMT");
  EXPECT_EQ(http_date(time), "Thu, 31 Dec 2026 23:59:59 GMT");
  EXPECT_EQ(
      format_access_log_line({time + seconds{1}, "a", "GET", "/", 11, 200, 1, {}}).substr(0, 20),
      "2027-01-01T00:00:00Z");
}

TEST(HttpDate, is_imf_fixdate) {
  using namespace std::chrono;
  const auto time = sys_days{year{2026} / 11 / 25} + hours{14} + minutes{3} + seconds{9};
  EXPECT_EQ(http_date(time), "Wed, 25 Nov 2026 14:03:09 GMT");
}

struct RequestLineCase {
  const char* head;
  const char* method;
  const char* target;
};

class SplitRequestLine : public ::testing::TestWithParam<RequestLineCase> {};

TEST_P(SplitRequestLine, finds_method_and_target_in_raw_bytes) {
  const auto& [head, method, target] = GetParam();
  const auto line = split_request_line(head);
  EXPECT_EQ(line.method, method) << head;
  EXPECT_EQ(line.target, target) << head;
}

INSTANTIATE_TEST_SUITE_P(
    Table, SplitRequestLine,
    ::testing::Values(RequestLineCase{"GET /a?b HTTP/1.1\r\nHost: x\r\n", "GET", "/a?b"},
                      RequestLineCase{"POST /api/paste/", "POST", "/api/paste/"},  // cut short
                      RequestLineCase{"GET /x\r\n", "GET", "/x"},
                      RequestLineCase{"GET ", "GET", ""}, RequestLineCase{"", "", ""},
                      RequestLineCase{"GET", "", ""}, RequestLineCase{" /x HTTP/1.1", "", ""},
                      RequestLineCase{"G\x01T /x HTTP/1.1", "", ""},
                      RequestLineCase{"GET\r\n /x HTTP/1.1", "", ""},
                      RequestLineCase{"AVERYLONGMETHODNAMEMUCHLONGERTHAN32 /x", "", ""}));

}  // namespace
}  // namespace sillypaste::http
