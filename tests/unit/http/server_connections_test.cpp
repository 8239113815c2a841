#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "http/file_limit.hpp"
#include "http/server.hpp"
#include "test_client.hpp"

namespace sillypaste::http {
namespace {

using namespace std::chrono_literals;
using testing::Client;
using testing::get;
using testing::TestServer;

Response hello(Request&) { return Response{200, "text/plain", "hello", {}, {}, {}}; }

ServerOptions capped(std::size_t max_connections) {
  auto options = testing::test_options();
  options.max_connections = max_connections;
  return options;
}

// Clients that each got one answer, so the server has surely counted them.
std::vector<std::unique_ptr<Client>> admitted_clients(const TestServer& server, int count) {
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < count; ++i) {
    clients.push_back(std::make_unique<Client>(server.port()));
    EXPECT_EQ(clients.back()->request(get("/")).status, 200u);
  }
  return clients;
}

TEST(ConnectionCap, connection_beyond_the_cap_gets_503_without_asking) {
  TestServer server(capped(3), hello);
  auto admitted = admitted_clients(server, 3);
  Client refused(server.port());
  const auto reply = refused.read_reply();  // it sent nothing
  EXPECT_EQ(reply.status, 503u);
  EXPECT_EQ(reply.header("retry-after"), "5");
  EXPECT_EQ(reply.header("connection"), "close");
  EXPECT_EQ(reply.header("content-type"), "text/plain; charset=utf-8");
  EXPECT_EQ(reply.body, "Too many connections; try again shortly.\n");
  EXPECT_TRUE(refused.closed_within(3s));
  for (auto& client : admitted) EXPECT_EQ(client->request(get("/")).status, 200u);
}

TEST(ConnectionCap, refused_client_that_already_sent_a_request_still_reads_the_503) {
  TestServer server(capped(1), hello);
  auto admitted = admitted_clients(server, 1);
  Client refused(server.port());
  refused.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 20000\r\n\r\n" +
               std::string(20000, 'x'));
  EXPECT_EQ(refused.read_reply().status, 503u);
  EXPECT_TRUE(refused.closed_within(3s));
}

TEST(ConnectionCap, a_closed_connection_frees_its_place) {
  TestServer server(capped(2), hello);
  auto admitted = admitted_clients(server, 2);
  admitted.pop_back();
  // The server notices the close asynchronously: allow it a moment.
  unsigned status = 0;
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    Client next(server.port());
    status = next.request(get("/")).status;
    if (status != 200) std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(status, 200u);
}

TEST(ConnectionCap, connections_refused_at_the_cap_do_not_count_against_it) {
  TestServer server(capped(1), hello);
  {
    auto admitted = admitted_clients(server, 1);
    for (int i = 0; i < 5; ++i) {
      Client refused(server.port());
      EXPECT_EQ(refused.read_reply().status, 503u);
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  unsigned status = 0;
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    Client next(server.port());
    status = next.request(get("/")).status;
  }
  EXPECT_EQ(status, 200u);
}

// A socket made before the descriptor limit is lowered, connected after.
class PreparedSocket {
 public:
  PreparedSocket() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {}
  ~PreparedSocket() { ::close(fd_); }
  PreparedSocket(const PreparedSocket&) = delete;
  PreparedSocket& operator=(const PreparedSocket&) = delete;

  bool connect_to(unsigned short port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  }
  [[nodiscard]] int fd() const { return fd_; }

 private:
  int fd_;
};

int highest_open_descriptor() {
  int highest = 0;
  for (int fd = 0; fd < 65536; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1) highest = fd;
  }
  return highest;
}

TEST(AcceptLoop, survives_running_out_of_descriptors_and_serves_afterwards) {
  TestServer server(testing::test_options(), hello);
  std::vector<std::unique_ptr<PreparedSocket>> sockets;
  for (int i = 0; i < 4; ++i) sockets.push_back(std::make_unique<PreparedSocket>());

  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit tight = saved;
  tight.rlim_cur = static_cast<rlim_t>(highest_open_descriptor() + 1);
  ::testing::internal::CaptureStderr();
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &tight), 0);
  std::vector<int> fillers;  // take the free numbers below the limit too
  for (int fd = ::dup(2); fd != -1; fd = ::dup(2)) fillers.push_back(fd);
  // The kernel completes these handshakes; the server cannot accept them yet.
  for (auto& socket : sockets) EXPECT_TRUE(socket->connect_to(server.port()));
  std::this_thread::sleep_for(700ms);
  for (int fd : fillers) ::close(fd);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &saved), 0);

  for (auto& socket : sockets) {
    const std::string request = get("/");
    ASSERT_EQ(::send(socket->fd(), request.data(), request.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(request.size()));
    pollfd pfd{socket->fd(), POLLIN, 0};
    ASSERT_EQ(::poll(&pfd, 1, 3000), 1);
    char reply[64] = {};
    ASSERT_GT(::recv(socket->fd(), reply, sizeof reply - 1, 0), 12);
    EXPECT_EQ(std::string(reply, 12), "HTTP/1.1 200");
  }
  const std::string log = ::testing::internal::GetCapturedStderr();
  // Retried every 100 ms, reported at most once a second.
  std::size_t reports = 0;
  for (auto at = log.find("accept failed"); at != std::string::npos;
       at = log.find("accept failed", at + 1)) {
    ++reports;
  }
  EXPECT_GE(reports, 1u) << log;
  EXPECT_LE(reports, 2u) << log;
}

TEST(FileLimit, soft_limit_is_raised_to_the_hard_limit) {
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit lowered = saved;
  lowered.rlim_cur = std::min<rlim_t>(saved.rlim_max, 512);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &lowered), 0);
  const auto limit = raise_open_file_limit();
  rlimit now{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &now), 0);
  if (saved.rlim_max != RLIM_INFINITY) {
    EXPECT_EQ(now.rlim_cur, saved.rlim_max);
  } else {
    EXPECT_GT(now.rlim_cur, lowered.rlim_cur);  // as far as the kernel allows
  }
  EXPECT_EQ(limit, now.rlim_cur);
  ::setrlimit(RLIMIT_NOFILE, &saved);
}

TEST(FileLimit, descriptors_needed_leave_room_beyond_the_cap) {
  EXPECT_GT(descriptors_needed(4096), 4096u);
  EXPECT_LT(descriptors_needed(4096), 4096u + 1024u);
}

}  // namespace
}  // namespace sillypaste::http
