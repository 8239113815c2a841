#include "http/server.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

#include "test_client.hpp"

namespace sillypaste::http {
namespace {

using namespace std::chrono_literals;
using testing::Client;
using testing::get;
using testing::TestServer;

Response app(Request& request) {
  Response response;
  response.content_type = "text/plain";
  if (request.path == "/echo") {
    response.body = request.body;
    response.add_header("X-Method", request.method);
  } else if (request.path == "/throw") {
    throw std::runtime_error("handler exploded on purpose");
  } else if (request.path == "/slow") {
    std::this_thread::sleep_for(500ms);
    response.body = "slow";
  } else if (request.path == "/cookies") {
    response.add_header("Set-Cookie", "a=1");
    response.add_header("Set-Cookie", "b=2");
  } else if (request.path == "/bad-header") {
    response.add_header("X-Evil", "x\r\nSet-Cookie: injected=1");
    response.body = "ok";
  } else if (request.path == "/missing") {
    response.status = 404;
    response.body = "nope";
  } else {
    response.body = request.method + "|" + request.path + "|" + request.query + "|" +
                    request.remote_address + "|" + (request.secure ? "secure" : "plain") + "|" +
                    std::string{request.header("X-Custom").value_or("-")};
  }
  return response;
}

class ServerTest : public ::testing::Test {
 protected:
  TestServer server_{testing::test_options(), app};
};

TEST_F(ServerTest, get_fills_the_request_and_writes_the_response) {
  Client client(server_.port());
  const auto reply = client.request(get("/a%20b/?x=1&y=%zz", "X-Custom: Yes\r\n"));
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.body, "GET|/a b/|x=1&y=%zz|127.0.0.1|plain|Yes");
  EXPECT_EQ(reply.header("content-type"), "text/plain");
  EXPECT_EQ(reply.header("content-length"), std::to_string(reply.body.size()));
  EXPECT_TRUE(reply.header("date").has_value());
  EXPECT_FALSE(reply.header("server").has_value());
}

TEST_F(ServerTest, handler_status_is_sent) {
  Client client(server_.port());
  const auto reply = client.request(get("/missing"));
  EXPECT_EQ(reply.status, 404u);
  EXPECT_EQ(reply.body, "nope");
}

TEST_F(ServerTest, post_body_is_echoed) {
  Client client(server_.port());
  const auto reply =
      client.request("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello world");
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.body, "hello world");
  EXPECT_EQ(reply.header("x-method"), "POST");
}

TEST_F(ServerTest, chunked_post_body_is_echoed) {
  Client client(server_.port());
  const auto reply = client.request(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  EXPECT_EQ(reply.body, "hello world");
}

TEST_F(ServerTest, expect_100_continue_is_answered_before_the_body) {
  const std::string body(100 * 1024, 'x');
  Client client(server_.port());
  client.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: " +
              std::to_string(body.size()) + "\r\n\r\n");
  const auto interim = client.read_reply(false, 1s);
  EXPECT_EQ(interim.status, 100u);
  client.send(body);
  const auto reply = client.read_reply();
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.body, body);
}

TEST_F(ServerTest, keep_alive_serves_several_requests_on_one_connection) {
  Client client(server_.port());
  EXPECT_EQ(client.request(get("/one")).body.substr(0, 8), "GET|/one");
  EXPECT_EQ(client.request(get("/two")).body.substr(0, 8), "GET|/two");
  // Pipelined: both requests in one write.
  client.send(get("/three") + get("/four"));
  EXPECT_EQ(client.read_reply().body.substr(0, 10), "GET|/three");
  EXPECT_EQ(client.read_reply().body.substr(0, 9), "GET|/four");
}

TEST_F(ServerTest, connection_close_is_honoured) {
  Client client(server_.port());
  const auto reply = client.request(get("/", "Connection: close\r\n"));
  EXPECT_EQ(reply.header("connection"), "close");
  EXPECT_TRUE(client.closed_within(1s));
}

TEST_F(ServerTest, head_sends_headers_without_body) {
  Client client(server_.port());
  const auto reply = client.request("HEAD /x HTTP/1.1\r\nHost: t\r\n\r\n", /*head_request=*/true);
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.header("content-length"),
            std::to_string(std::string{"HEAD|/x||127.0.0.1|plain|-"}.size()));
  // No body bytes may follow: the next response must start right away.
  EXPECT_EQ(client.request(get("/y")).body.substr(0, 6), "GET|/y");
}

TEST_F(ServerTest, handler_exception_gives_500_from_the_error_responder) {
  Client client(server_.port());
  const auto reply = client.request(get("/throw"));
  EXPECT_EQ(reply.status, 500u);
  EXPECT_EQ(reply.body, "refused 500 GET /throw");
  // The connection survives.
  EXPECT_EQ(client.request(get("/ok")).status, 200u);
}

TEST_F(ServerTest, repeated_headers_are_all_sent) {
  Client client(server_.port());
  const auto reply = client.request(get("/cookies"));
  EXPECT_NE(reply.head.find("\r\nSet-Cookie: a=1"), std::string::npos);
  EXPECT_NE(reply.head.find("\r\nSet-Cookie: b=2"), std::string::npos);
}

TEST_F(ServerTest, header_values_with_line_breaks_are_dropped) {
  Client client(server_.port());
  const auto reply = client.request(get("/bad-header"));
  EXPECT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.head.find("injected"), std::string::npos);
}

TEST_F(ServerTest, slow_handler_does_not_block_other_clients) {
  Client slow(server_.port());
  slow.send(get("/slow"));
  std::this_thread::sleep_for(50ms);
  const auto start = std::chrono::steady_clock::now();
  Client fast(server_.port());
  EXPECT_EQ(fast.request(get("/fast")).status, 200u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 300ms);
  EXPECT_EQ(slow.read_reply().body, "slow");
}

TEST_F(ServerTest, stop_makes_run_return_and_closes_idle_connections) {
  Client idle(server_.port());
  EXPECT_EQ(idle.request(get("/")).status, 200u);
  Client silent(server_.port());  // connected, never sends anything
  EXPECT_LT(server_.stop(), 1s);
  EXPECT_TRUE(idle.closed_within(1s));
  EXPECT_TRUE(silent.closed_within(1s));
}

TEST_F(ServerTest, stop_lets_in_flight_requests_finish) {
  Client client(server_.port());
  client.send(get("/slow"));
  std::this_thread::sleep_for(100ms);
  std::thread stopper([this] { server_.stop(); });
  const auto reply = client.read_reply();
  stopper.join();
  EXPECT_EQ(reply.body, "slow");
  EXPECT_EQ(reply.header("connection"), "close");
}

}  // namespace
}  // namespace sillypaste::http
