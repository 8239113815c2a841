#include "http/wire_response.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace sillypaste::http::detail {
namespace {

std::vector<std::string> lines_of(const std::string& head) {
  EXPECT_TRUE(head.ends_with("\r\n\r\n")) << head;
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (auto end = head.find("\r\n"); end != std::string::npos && end != start;
       end = head.find("\r\n", start)) {
    lines.push_back(head.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

Response page(std::string body) {
  Response response;
  response.body = std::move(body);
  response.add_header("Cache-Control", "no-cache");
  response.add_header("Set-Cookie", "a=1");
  response.add_header("Set-Cookie", "b=2");
  return response;
}

TEST(WireResponse, has_the_status_line_the_fields_in_order_and_the_body) {
  const auto wire = to_wire(page("<p>hi</p>"), 11, false, true);
  const auto lines = lines_of(wire.head);
  ASSERT_EQ(lines.size(), 7U) << wire.head;
  EXPECT_EQ(lines[0], "HTTP/1.1 200 OK");
  EXPECT_TRUE(lines[1].starts_with("Date: ")) << lines[1];
  EXPECT_TRUE(lines[1].ends_with(" GMT")) << lines[1];
  EXPECT_EQ(lines[2], "Content-Type: text/html; charset=utf-8");
  EXPECT_EQ(lines[3], "Cache-Control: no-cache");
  EXPECT_EQ(lines[4], "Set-Cookie: a=1");
  EXPECT_EQ(lines[5], "Set-Cookie: b=2");
  EXPECT_EQ(lines[6], "Content-Length: 9");
  EXPECT_EQ(wire.body(), "<p>hi</p>");
  EXPECT_EQ(wire.status, 200U);
  const auto buffers = wire.buffers();
  EXPECT_EQ(buffers[0].size(), wire.head.size());
  EXPECT_EQ(std::string(static_cast<const char*>(buffers[1].data()), buffers[1].size()),
            "<p>hi</p>");
}

TEST(WireResponse, says_when_the_connection_closes_or_stays_as_each_version_needs) {
  EXPECT_EQ(lines_of(to_wire(page("x"), 11, false, false).head).back(), "Connection: close");
  EXPECT_EQ(lines_of(to_wire(page("x"), 10, false, true).head).back(), "Connection: keep-alive");
  const auto closing_1_0 = to_wire(page("x"), 10, false, false);
  EXPECT_TRUE(closing_1_0.head.starts_with("HTTP/1.0 200 OK\r\n")) << closing_1_0.head;
  EXPECT_EQ(lines_of(closing_1_0.head).back(), "Content-Length: 1");
}

TEST(WireResponse, head_keeps_the_length_and_drops_the_body) {
  const auto wire = to_wire(page("12345"), 11, true, true);
  EXPECT_EQ(lines_of(wire.head).back(), "Content-Length: 5");
  EXPECT_EQ(wire.body(), "");
}

TEST(WireResponse, no_content_and_not_modified_have_neither_length_nor_body) {
  for (const unsigned status : {204U, 304U}) {
    auto response = page("ignored");
    response.status = status;
    const auto wire = to_wire(std::move(response), 11, false, true);
    EXPECT_EQ(wire.head.find("Content-Length"), std::string::npos) << wire.head;
    EXPECT_EQ(wire.body(), "");
  }
  auto response = page("");
  response.status = 304;
  EXPECT_TRUE(to_wire(std::move(response), 11, false, true)
                  .head.starts_with("HTTP/1.1 304 Not Modified\r\n"));
}

TEST(WireResponse, leaves_out_fields_that_would_break_the_framing) {
  auto response = page("x");
  response.add_header("X-Injected", "a\r\nSet-Cookie: evil=1");
  response.add_header("Bad Name", "v");
  response.add_header("content-length", "99");
  response.add_header("Connection", "close");
  response.add_header("Transfer-Encoding", "chunked");
  response.add_header("Date", "yesterday");
  response.content_type = "text/plain\r\nX-Evil: 1";
  const auto wire = to_wire(std::move(response), 11, false, true);
  const auto lines = lines_of(wire.head);
  ASSERT_EQ(lines.size(), 6U) << wire.head;  // status, Date, 3 handler fields, length
  EXPECT_EQ(lines.back(), "Content-Length: 1");
  for (const char* unwanted :
       {"evil", "Evil", "Bad Name", "99", "chunked", "yesterday", "Connection", "Content-Type"}) {
    EXPECT_EQ(wire.head.find(unwanted), std::string::npos) << unwanted << "\n" << wire.head;
  }
}

TEST(WireResponse, a_status_out_of_range_becomes_a_500) {
  auto response = page("x");
  response.status = 42;
  const auto wire = to_wire(std::move(response), 11, false, true);
  EXPECT_EQ(wire.status, 500U);
  EXPECT_TRUE(wire.head.starts_with("HTTP/1.1 500 Internal Server Error\r\n")) << wire.head;
  EXPECT_EQ(wire.body(), "Internal Server Error\n");
}

TEST(WireResponse, a_shared_body_is_sent_from_where_it_is) {
  Response response;
  response.shared_body = std::make_shared<const std::string>("cached answer");
  const auto wire = to_wire(std::move(response), 11, false, true);
  EXPECT_EQ(wire.buffers()[1].data(), wire.shared_body->data());
  EXPECT_EQ(lines_of(wire.head).back(), "Content-Length: 13");
}

}  // namespace
}  // namespace sillypaste::http::detail
