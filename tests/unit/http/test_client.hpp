#pragma once

// A blocking HTTP/1.1 client over raw POSIX sockets for the server tests: it sends
// exactly the bytes a test writes, including malformed ones.

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "http/message.hpp"
#include "http/server.hpp"

namespace sillypaste::http::testing {

using namespace std::chrono_literals;

struct Reply {
  unsigned status = 0;
  std::string head;  // status line and headers
  std::string body;

  // First header with this name (case-insensitive), if any.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const {
    std::size_t line = head.find("\r\n");
    while (line != std::string::npos && line + 2 < head.size()) {
      const std::size_t start = line + 2;
      const std::size_t end = head.find("\r\n", start);
      const std::string_view text{head.data() + start,
                                  (end == std::string::npos ? head.size() : end) - start};
      const auto colon = text.find(':');
      if (colon == name.size() &&
          std::equal(name.begin(), name.end(), text.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
          })) {
        return std::string{text.substr(text.find_first_not_of(' ', colon + 1))};
      }
      line = end;
    }
    return std::nullopt;
  }
};

class Client {
 public:
  explicit Client(unsigned short port, const char* host = "127.0.0.1") {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host, std::to_string(port).c_str(), &hints, &found) != 0) {
      throw std::runtime_error("getaddrinfo failed");
    }
    fd_ = ::socket(found->ai_family, SOCK_STREAM, 0);
    const int rc = ::connect(fd_, found->ai_addr, found->ai_addrlen);
    ::freeaddrinfo(found);
    if (rc != 0) throw std::runtime_error("connect failed");
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed");
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  // Reads one response; throws when the connection closes first or nothing comes in time.
  Reply read_reply(bool head_request = false, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) fill(deadline);
    Reply reply;
    reply.head = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    reply.status = static_cast<unsigned>(std::stoul(reply.head.substr(9, 3)));
    std::size_t length = 0;
    if (auto value = reply.header("content-length"); value && !head_request) {
      length = std::stoul(*value);
    }
    while (buffer_.size() < length) fill(deadline);
    reply.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return reply;
  }

  Reply request(const std::string& raw, bool head_request = false) {
    send(raw);
    return read_reply(head_request);
  }

  // True when the server closes the connection (EOF or reset) before the timeout,
  // discarding anything it sends first.
  bool closed_within(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    try {
      for (;;) fill(deadline);
    } catch (const std::runtime_error& error) {
      return std::string_view{error.what()} == "closed";
    }
  }

  [[nodiscard]] const std::string& unread() const { return buffer_; }

 private:
  void fill(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd pfd{fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) {
      throw std::runtime_error("timeout");
    }
    char chunk[16384];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) throw std::runtime_error("closed");
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }

  int fd_ = -1;
  std::string buffer_;
};

inline std::string get(std::string_view target, std::string_view extra_headers = "") {
  return std::string{"GET "}
      .append(target)
      .append(" HTTP/1.1\r\nHost: test\r\n")
      .append(extra_headers)
      .append("\r\n");
}

// Runs a Server on 127.0.0.1 (port 0) in a thread for the lifetime of the object.
class TestServer {
 public:
  TestServer(ServerOptions options, Handler handler)
      : server_(std::move(options), std::move(handler),
                [](unsigned status, const std::string& target, const std::string& method) {
                  return Response{status,
                                  "text/plain",
                                  "refused " + std::to_string(status) + " " + method + " " + target,
                                  {},
                                  {},
                                  {}};
                }) {
    server_.listen();
    thread_ = std::thread([this] { server_.run(); });
  }
  ~TestServer() { stop(); }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // Returns how long run() took to return after stop().
  std::chrono::milliseconds stop() {
    const auto start = std::chrono::steady_clock::now();
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start);
  }
  [[nodiscard]] unsigned short port() const { return server_.port(); }

 private:
  Server server_;
  std::thread thread_;
};

inline ServerOptions test_options() {
  ServerOptions options;
  options.port = 0;
  options.max_body_bytes = 256 * 1024;
  options.max_header_bytes = 4 * 1024;
  options.max_target_bytes = 2 * 1024;
  options.read_timeout = std::chrono::seconds(1);
  options.keep_alive_timeout = std::chrono::seconds(2);
  options.network_threads = 2;
  options.worker_threads = 2;
  options.access_log = false;
  return options;
}

}  // namespace sillypaste::http::testing
