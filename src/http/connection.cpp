#include "http/connection.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <exception>
#include <iostream>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "core/log.hpp"
#include "core/thread_name.hpp"
#include "http/access_log.hpp"
#include "http/pending_response.hpp"
#include "http/target.hpp"
#include "http/wire_response.hpp"

namespace sillypaste::http::detail {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// Buffer space for reading a request, taken when one arrives (idle connections hold none).
constexpr std::size_t kFirstReadBytes = std::size_t{8} * 1024;

// A refused target may be as long as the header limit: the access log keeps its start.
constexpr std::size_t kLoggedTargetBytes = 256;
// After refusing a request, how long we keep reading (and discarding) what the client
// still sends, so that closing does not reset the connection before it reads our answer.
constexpr auto kLingerTime = std::chrono::seconds(2);
// Writing a large paste to a slow reader may take longer than reading a request may.
constexpr auto kMinWriteTimeout = std::chrono::seconds(60);

std::chrono::steady_clock::duration write_timeout(const ServerOptions& options) {
  return std::max<std::chrono::steady_clock::duration>(options.read_timeout, kMinWriteTimeout);
}

std::string peer_address(const beast::tcp_stream& stream) {
  beast::error_code ec;
  const auto endpoint = stream.socket().remote_endpoint(ec);
  if (ec) {
    return "-";
  }
  auto address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  return address.to_string();
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string_view first_list_item(std::string_view value) {
  return trim(value.substr(0, value.find(',')));
}

std::string_view last_list_item(std::string_view value) {
  const auto comma = value.rfind(',');
  return trim(comma == std::string_view::npos ? value : value.substr(comma + 1));
}

std::string lower(std::string_view text) {
  std::string out{text};
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

Request to_request(bhttp::request<bhttp::string_body>&& message, Target&& target, std::string peer,
                   bool trust_proxy) {
  Request request;
  request.method = std::string{message.method_string()};
  request.target = std::string{message.target()};
  request.path = std::move(target.path);
  request.query = std::move(target.query);
  request.remote_address = std::move(peer);
  for (const auto& field : message) {
    request.headers.emplace_back(lower(field.name_string()), std::string{field.value()});
  }
  request.body = std::move(message.body());
  if (trust_proxy) {
    // The entry our proxy appended: the ones before it are whatever the client sent.
    if (auto forwarded = request.header("x-forwarded-for")) {
      if (auto last = last_list_item(*forwarded); !last.empty()) {
        request.remote_address = std::string{last};
      }
    }
    if (auto proto = request.header("x-forwarded-proto")) {
      request.secure = beast::iequals(first_list_item(*proto), "https");
    }
  }
  return request;
}

Response respond_to_error(const ConnectionContext& context, unsigned status,
                          const std::string& target, const std::string& method) {
  try {
    return context.error_responder(status, target, method);
  } catch (const std::exception& error) {
    std::cerr << "sillypaste: error responder threw: " << error.what() << "\n";
  } catch (...) {
    std::cerr << "sillypaste: error responder threw\n";
  }
  return Response{
      status, "text/plain; charset=utf-8", "Error " + std::to_string(status) + "\n", {}, {}, {}};
}

// What `make` answers, or the error responder's 500 when it throws.
template <typename Make>
Response answer_or_500(const ConnectionContext& context, Request& request, Make&& make) {
  try {
    return std::forward<Make>(make)();
  } catch (const std::exception& error) {
    std::cerr << "sillypaste: handler failed on " << request.method << " " << request.path << ": "
              << error.what() << "\n";
  } catch (...) {
    std::cerr << "sillypaste: handler failed on " << request.method << " " << request.path
              << " with a non-standard exception\n";
  }
  return respond_to_error(context, 500, request.target, request.method);
}

// Runs on a worker thread.
Response call_handler(const ConnectionContext& context, Request& request) {
  return answer_or_500(context, request, [&] { return context.handler(request); });
}

// On the network thread: the answer of a handler that returned before its work was done.
asio::awaitable<Response> wait_for_pending(const ConnectionContext& context, Request& request,
                                           std::shared_ptr<PendingResponse> pending) {
  const MakeResponse make = co_await pending->async_wait(asio::use_awaitable);
  co_return answer_or_500(context, request, [&] {
    Response made = make();
    if (made.pending) {
      throw std::logic_error("a pending answer made another pending answer");
    }
    return made;
  });
}

// On the network thread: the quick handler's answer, if it has one.
std::optional<Response> answer_quickly(const ConnectionContext& context, Request& request) {
  if (!context.quick_handler) {
    return std::nullopt;
  }
  try {
    return context.quick_handler(request);
  } catch (...) {
    return std::nullopt;  // the worker's attempt will report what went wrong
  }
}

void name_worker_thread() {
  thread_local const bool named = (core::name_this_thread("sp-worker"), true);
  (void)named;
}

asio::awaitable<Response> run_on_workers(const ConnectionContext& context, Request& request) {
  // The lambda is kept alive by co_spawn until it completes; the result comes back on
  // this coroutine's network thread, which never waits for the handler.
  co_return co_await asio::co_spawn(
      context.workers,
      [&]() -> asio::awaitable<Response> {
        name_worker_thread();
        co_return call_handler(context, request);
      },
      asio::use_awaitable);
}

// Cancels the reads in progress when the whole request takes longer than `timeout`.
void arm_read_deadline(const std::shared_ptr<Connection>& connection,
                       std::chrono::steady_clock::duration timeout) {
  connection->read_timed_out = false;
  const unsigned generation = ++connection->read_generation;
  connection->read_deadline.expires_after(timeout);
  connection->read_deadline.async_wait(
      [weak = std::weak_ptr<Connection>{connection}, generation](const beast::error_code& ec) {
        const auto connection = weak.lock();
        if (ec || !connection || connection->read_generation != generation) {
          return;
        }
        connection->read_timed_out = true;
        beast::error_code ignored;
        connection->stream.socket().cancel(ignored);
      });
}

void disarm_read_deadline(Connection& connection) {
  ++connection.read_generation;
  connection.read_deadline.cancel();
}

// Which status a failed read deserves; 0 means close without answering.
unsigned status_for_read_error(const beast::error_code& ec) {
  if (ec == bhttp::error::body_limit) {
    return 413;
  }
  if (ec == bhttp::error::header_limit) {
    return 431;
  }
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
    return 0;
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
    return 400;
  }
  return 0;  // the network failed: nobody to answer
}

bool expects_continue(const bhttp::request<bhttp::string_body>& message) {
  const auto expect = message[bhttp::field::expect];
  return message.version() >= 11 && beast::iequals(expect, "100-continue");
}

void log_access(const ConnectionContext& context, std::string_view peer, std::string_view method,
                std::string_view target, unsigned version, unsigned status, std::size_t bytes,
                Clock::time_point started) {
  if (!context.options.access_log) {
    return;
  }
  const AccessLogEntry entry{std::chrono::system_clock::now(),
                             peer,
                             method,
                             target,
                             version,
                             status,
                             bytes,
                             Clock::now() - started};
  core::log_line(context.options.access_log_json ? format_access_log_json(entry)
                                                 : format_access_log_line(entry));
}

// What a refused request is logged and answered as.
struct RefusedRequest {
  std::string method = "-";
  std::string target = "-";
  unsigned version = 11;
};

RefusedRequest describe_refused(const bhttp::request_parser<bhttp::string_body>& parser,
                                const beast::flat_buffer& buffer) {
  if (!parser.get().method_string().empty()) {  // the request line parsed
    return {std::string{parser.get().method_string()}, std::string{parser.get().target()},
            parser.get().version()};
  }
  // A head too large for the parser: read its request line by hand.
  const auto* data = static_cast<const char*>(buffer.data().data());
  const auto line = split_request_line({data, buffer.size()});
  if (line.method.empty()) {
    return {};
  }
  return {std::string{line.method}, std::string{line.target}, 11};
}

// Answers a request refused before any handler ran, then closes the connection.
asio::awaitable<void> refuse(const ConnectionContext& context, beast::tcp_stream& stream,
                             const RefusedRequest& refused, unsigned status, std::string_view peer,
                             Clock::time_point started) {
  Response response = respond_to_error(context, status, refused.target, refused.method);
  const std::size_t bytes = response.body_bytes().size();
  const unsigned sent_status =
      response.status;  // the responder may answer otherwise (redirect mode)
  const WireResponse wire =
      to_wire(std::move(response), refused.version, refused.method == "HEAD", false);
  stream.expires_after(context.options.read_timeout);
  auto [write_error, written] = co_await asio::async_write(stream, wire.buffers(), kUseTuple);
  const std::string_view target{refused.target};
  log_access(context, peer, refused.method,
             target.size() > kLoggedTargetBytes ? target.substr(0, kLoggedTargetBytes) : target,
             refused.version, sent_status, write_error ? 0 : bytes, started);
  if (write_error) {
    co_return;
  }

  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream.expires_after(kLingerTime);
  std::array<char, std::size_t{16} * 1024> sink;
  for (;;) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), kUseTuple);
    if (ec) {
      break;
    }
  }
}

// Waits until the client sends something (or closes), for at most `patience`. Holds no
// read buffer meanwhile, so an idle connection costs little more than its socket; the
// server cancels this wait when it shuts down.
asio::awaitable<bool> wait_for_request(const std::shared_ptr<Connection>& connection,
                                       std::chrono::steady_clock::duration patience) {
  connection->idle = true;
  arm_read_deadline(connection, patience);
  auto [ec] = co_await connection->stream.socket().async_wait(tcp::socket::wait_read, kUseTuple);
  disarm_read_deadline(*connection);
  connection->idle = false;
  co_return !ec && !connection->read_timed_out;
}

// Reads one request (its first bytes may already be in `buffer`), has it handled and
// writes the answer. Returns whether the connection may carry another request.
asio::awaitable<bool> serve_request(const ConnectionContext& context,
                                    const std::shared_ptr<Connection>& connection,
                                    beast::flat_buffer& buffer, const std::string& peer) {
  const ServerOptions& options = context.options;
  beast::tcp_stream& stream = connection->stream;
  const auto started = Clock::now();

  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(options.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser.body_limit(options.max_body_bytes);
  // Beast reads at most max(512, spare capacity) bytes at a time: a 1 KB paste's request
  // took three reads. Room for a typical request (headers, small body) makes it one.
  if (buffer.capacity() < kFirstReadBytes) {
    buffer.reserve(kFirstReadBytes);
  }
  // One deadline for the whole request, not per read: a client dripping bytes is cut off.
  stream.expires_never();
  arm_read_deadline(connection, options.read_timeout);
  auto [read_error, header_bytes] =
      co_await bhttp::async_read_header(stream, buffer, parser, kUseTuple);
  if (!read_error && parser.get().target().size() > options.max_target_bytes) {
    disarm_read_deadline(*connection);
    co_await refuse(context, stream, describe_refused(parser, buffer), 414, peer, started);
    co_return false;
  }
  // Beast measures its limit from the last whole field it took in, so a first read holding
  // many fields let that much more through: the header block is measured whole here.
  if (!read_error && header_bytes > options.max_header_bytes) {
    read_error = bhttp::error::header_limit;
  }
  if (!read_error && !parser.is_done() && expects_continue(parser.get())) {
    bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, 11};
    auto [ec, n] = co_await bhttp::async_write(stream, go_on, kUseTuple);
    read_error = ec;
  }
  if (!read_error && !parser.is_done()) {
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, kUseTuple);
    read_error = ec;
  }
  disarm_read_deadline(*connection);
  if (read_error) {
    unsigned status = connection->read_timed_out ? 408 : status_for_read_error(read_error);
    if (status == 0) {
      co_return false;
    }
    const RefusedRequest refused = describe_refused(parser, buffer);
    if (status == 431 && refused.target.size() > options.max_target_bytes) {
      status = 414;
    }
    co_await refuse(context, stream, refused, status, peer, started);
    co_return false;
  }

  auto target = parse_target(parser.get().target());
  if (!target) {
    co_await refuse(context, stream, describe_refused(parser, buffer), 400, peer, started);
    co_return false;
  }

  const bool head = parser.get().method() == bhttp::verb::head;
  const bool wants_keep_alive = parser.get().keep_alive();
  const unsigned version = parser.get().version();
  Request request = to_request(parser.release(), std::move(*target), peer, options.trust_proxy);
  // Not a ?: with co_await in one arm: GCC 12 frees that temporary too early.
  Response response;
  if (auto quick = answer_quickly(context, request)) {
    response = std::move(*quick);
  } else {
    response = co_await run_on_workers(context, request);
  }
  if (response.pending) {
    response = co_await wait_for_pending(context, request, std::move(response.pending));
  }

  const bool keep_alive = wants_keep_alive && !context.stopping;
  const WireResponse wire = to_wire(std::move(response), version, head, keep_alive);
  const std::size_t bytes = wire.body().size();  // 0 for HEAD
  stream.expires_after(write_timeout(options));
  auto [write_error, written] = co_await asio::async_write(stream, wire.buffers(), kUseTuple);
  log_access(context, request.remote_address, request.method, request.target, version, wire.status,
             write_error ? 0 : bytes, started);
  co_return !write_error && keep_alive;
}

}  // namespace

asio::awaitable<void> serve_connection(ConnectionContext context,
                                       std::shared_ptr<Connection> connection) {
  const ServerOptions& options = context.options;
  const std::string peer = peer_address(connection->stream);
  beast::flat_buffer buffer;
  bool first_request = true;

  while (!context.stopping) {
    if (buffer.size() == 0) {  // nothing pipelined behind the last request
      buffer.shrink_to_fit();
      const auto patience = first_request ? options.read_timeout : options.keep_alive_timeout;
      if (!co_await wait_for_request(connection, patience)) break;
    }
    first_request = false;
    if (!co_await serve_request(context, connection, buffer, peer)) break;
  }

  beast::error_code ignored;
  connection->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  connection->stream.socket().close(ignored);
}

}  // namespace sillypaste::http::detail
