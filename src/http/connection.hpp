#pragma once

// Internal to the http layer: what server.cpp and connection.cpp share.

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <memory>

#include "http/server.hpp"

namespace sillypaste::http::detail {

struct Connection {
  explicit Connection(boost::asio::ip::tcp::socket socket)
      : stream(std::move(socket)), read_deadline(stream.get_executor()) {}

  boost::beast::tcp_stream stream;  // its executor: one network thread's io_context
  // The whole-request deadline. Not tcp_stream::expires_after, which closes the socket on
  // expiry and so leaves no way to answer 408.
  boost::asio::steady_timer read_deadline;
  unsigned read_generation = 0;
  bool read_timed_out = false;
  // Waiting for the first byte of a request. Read and written on that thread only; the
  // server cancels idle connections when it shuts down and lets busy ones finish.
  bool idle = false;
};

// Everything here outlives every connection.
struct ConnectionContext {
  const ServerOptions& options;
  const Handler& handler;
  const QuickHandler& quick_handler;  // may be empty
  const ErrorResponder& error_responder;
  boost::asio::thread_pool& workers;
  const std::atomic<bool>& stopping;
};

// Serves HTTP/1.1 requests on one connection until it closes, times out, fails, or the
// server stops. Runs on the connection's network thread; handlers run on context.workers.
boost::asio::awaitable<void> serve_connection(ConnectionContext context,
                                              std::shared_ptr<Connection> connection);

}  // namespace sillypaste::http::detail
