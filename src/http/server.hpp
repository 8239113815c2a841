#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/message.hpp"

namespace sillypaste::http {

// Called on a worker thread (never a network thread), so it may block on the database
// or a subprocess. Must not throw; the server answers 500 if it does.
using Handler = std::function<Response(Request&)>;

// Called on a network thread before the request is handed to a worker: answers what it
// can without blocking (cached pages, files in memory, a quick read) and returns nothing
// for the rest, which then goes to the Handler. Must not throw.
using QuickHandler = std::function<std::optional<Response>(Request&)>;

// Builds the answer for a request the server refused before any handler ran
// (413 body too large, 400 malformed): lets the application pick HTML, JSON or text.
using ErrorResponder =
    std::function<Response(unsigned status, const std::string& target, const std::string& method)>;

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8000;
  std::size_t max_body_bytes = std::size_t{8} * 1024 * 1024;  // larger bodies get 413
  std::size_t max_header_bytes = std::size_t{16} * 1024;  // request line and headers; more gets 431
  std::size_t max_target_bytes = std::size_t{8} * 1024;   // longer request targets get 414
  std::size_t max_connections = 4096;                     // open at once; beyond it a 503 and close
  std::chrono::seconds read_timeout{30};                  // whole request, headers and body
  std::chrono::seconds keep_alive_timeout{75};            // idle connection between requests
  unsigned network_threads = 0;                           // 0 = number of cores
  unsigned worker_threads = 0;                            // 0 = 4 * number of cores
  bool access_log = true;                                 // one line per request on stdout
  bool access_log_json = false;                           // ... as JSON instead of text
  bool trust_proxy = false;                               // honour X-Forwarded-For / -Proto
};

// A Boost.Beast HTTP/1.1 server: one coroutine per connection, keep-alive, request
// timeouts, size limits, a connection cap; handlers run on a worker pool.
class Server {
 public:
  Server(ServerOptions options, Handler handler, ErrorResponder error_responder);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds; throws std::system_error when the address cannot be bound. After this,
  // port() is the bound port (useful with port 0).
  void listen();
  // Before run(): see QuickHandler.
  void set_quick_handler(QuickHandler quick_handler);
  [[nodiscard]] unsigned short port() const;

  // Serves until stop() or SIGINT/SIGTERM; then stops accepting, lets in-flight
  // requests finish (up to a grace period) and returns.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sillypaste::http
