#pragma once

// Internal to the http layer: the answer to a connection beyond the cap.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <string>

namespace sillypaste::http::detail {

// "503 Service Unavailable" with Retry-After, Connection: close and a plain-text body that
// says why. Fixed, so refusing costs no parsing and no handler.
[[nodiscard]] std::string over_capacity_response();

// Writes over_capacity_response() at once (a fresh socket's send buffer always has room
// for it), without reading the request. Returns false when even that failed.
bool send_over_capacity_response(boost::asio::ip::tcp::socket& socket);

// Reads and drops what the client still sends for a moment, then closes: closing with
// unread data would reset the connection, and the client could lose the 503 unread.
boost::asio::awaitable<void> linger_and_close(boost::asio::ip::tcp::socket socket);

}  // namespace sillypaste::http::detail
