#include "http/turn_away.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "http/wire_response.hpp"

namespace sillypaste::http::detail {

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

constexpr std::string_view kBody = "Too many connections; try again shortly.\n";
// Shorter than after other refusals: under a flood these sockets add up.
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr std::size_t kMaxLingerReads = 64;

}  // namespace

std::string over_capacity_response() {
  Response response{503, "text/plain; charset=utf-8", std::string(kBody), {}, {}, {}};
  response.add_header("Retry-After", "5");
  auto wire = to_wire(std::move(response), 11, false, false);
  return wire.head.append(wire.body());
}

bool send_over_capacity_response(tcp::socket& socket) {
  boost::system::error_code ec;
  socket.non_blocking(true, ec);
  if (ec) {
    return false;
  }
  const std::string response = over_capacity_response();
  const std::size_t written = socket.write_some(asio::buffer(response), ec);
  if (ec || written != response.size()) {
    return false;
  }
  socket.shutdown(tcp::socket::shutdown_send, ec);
  return true;
}

asio::awaitable<void> linger_and_close(tcp::socket socket_in) {
  // Shared with the deadline's handler, which may run after this coroutine has ended.
  auto socket = std::make_shared<tcp::socket>(std::move(socket_in));
  asio::steady_timer deadline(socket->get_executor(), kLingerTime);
  deadline.async_wait([socket](const boost::system::error_code& ec) {
    boost::system::error_code ignored;
    if (!ec) {
      socket->cancel(ignored);
    }
  });
  std::array<char, 4096> sink;
  for (std::size_t i = 0; i < kMaxLingerReads; ++i) {
    auto [ec, n] =
        co_await socket->async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
    if (ec) {
      break;
    }
  }
  deadline.cancel();
  boost::system::error_code ignored;
  socket->close(ignored);
}

}  // namespace sillypaste::http::detail
