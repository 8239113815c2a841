#include "http/server.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdint>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/thread_name.hpp"
#include "http/connection.hpp"
#include "http/turn_away.hpp"

namespace sillypaste::http {

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// How long in-flight requests may take to finish once shutdown starts.
constexpr auto kGracePeriod = std::chrono::seconds(10);
// Pause after a failed accept (e.g. out of file descriptors) before trying again.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);
// A complaint repeated by every accept is written at most this often.
constexpr auto kComplaintInterval = std::chrono::seconds(1);
// Connections turned away at the cap that may linger (reading what the client still
// sends) at once; beyond it they are closed right after the 503, so a flood of them cannot
// use up the descriptors.
constexpr unsigned kMaxLingeringTurnedAway = 256;

unsigned cores() { return std::max(1u, std::thread::hardware_concurrency()); }

std::string describe(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address().to_string();
  const auto port = std::to_string(endpoint.port());
  return endpoint.address().is_v6() ? "[" + address + "]:" + port : address + ":" + port;
}

// Handlers never throw by design; if one does anyway, log it and keep serving.
void run_io(asio::io_context& io) {
  for (;;) {
    try {
      io.run();
      return;
    } catch (const std::exception& error) {
      std::cerr << "sillypaste: unexpected exception on a network thread: " << error.what() << "\n";
    }
  }
}

// Lets a complaint through at most once per interval, counting the ones held back.
class Complaint {
 public:
  // Returns how many were held back since the last one let through, or nullopt to hold
  // this one back too.
  std::optional<std::uint64_t> let_through(std::chrono::steady_clock::time_point now) {
    if (last_ && now - *last_ < kComplaintInterval) {
      ++held_back_;
      return std::nullopt;
    }
    last_ = now;
    return std::exchange(held_back_, 0);
  }

 private:
  std::optional<std::chrono::steady_clock::time_point> last_;
  std::uint64_t held_back_ = 0;
};

std::string held_back_note(std::uint64_t held_back) {
  return held_back == 0 ? "" : " (" + std::to_string(held_back) + " more since the last report)";
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options_in, Handler handler_in, ErrorResponder error_responder_in)
      : options(std::move(options_in)),
        handler(std::move(handler_in)),
        error_responder(std::move(error_responder_in)),
        workers(options.worker_threads != 0 ? options.worker_threads : 4 * cores()),
        ios(make_io_contexts(network_threads())),
        io(*ios.front()),
        control(asio::make_strand(io)),
        acceptor(control),
        signals(control),
        grace_timer(control) {}

  ~Impl() {
    close_listeners();
    workers.stop();
    workers.join();
  }

  [[nodiscard]] unsigned network_threads() const {
    return options.network_threads != 0 ? options.network_threads : cores();
  }

  // One io_context per network thread, each kept running until finish(), and each
  // connection on one of them: a connection's handlers all run on one thread (no strand
  // needed), and a thread never hands work to, or wakes, another one. With one shared
  // io_context, the two threads woke each other several times per request.
  static std::vector<std::unique_ptr<asio::io_context>> make_io_contexts(unsigned count) {
    std::vector<std::unique_ptr<asio::io_context>> made;
    for (unsigned i = 0; i < count; ++i) {
      made.push_back(std::make_unique<asio::io_context>(1));
      // Makes its reactor (epoll, eventfd, timerfd) now: made on the first connection
      // instead, it would fail, and end the accept loop, when descriptors have run out.
      const asio::steady_timer reactor_now(*made.back());
    }
    return made;
  }

  // Where the next accepted connection lives: the io_contexts in turn.
  asio::any_io_executor next_connection_executor() {
    return ios[next_io++ % ios.size()]->get_executor();
  }

  void close_listeners() {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    signals.clear(ignored);
    grace_timer.cancel();
  }

  // On the control strand. Never ends before shutdown: a failed accept (out of
  // descriptors, say) is reported and retried.
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(next_connection_executor(),
                                                         asio::as_tuple(asio::use_awaitable));
      if (stopping) {
        co_return;
      }
      if (ec) {
        if (ec == asio::error::operation_aborted) {
          co_return;
        }
        if (auto held_back = accept_failures.let_through(std::chrono::steady_clock::now())) {
          std::cerr << "sillypaste: accept failed: " << ec.message() << held_back_note(*held_back)
                    << "\n";
        }
        asio::steady_timer pause(control, kAcceptRetryDelay);
        co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
        continue;
      }
      if (open_connections() >= options.max_connections) {
        turn_away(std::move(socket));
        continue;
      }
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto connection = std::make_shared<detail::Connection>(std::move(socket));
      const std::uint64_t id = add_connection(connection);
      auto executor = connection->stream.get_executor();
      asio::co_spawn(executor,
                     detail::serve_connection(
                         {options, handler, quick_handler, error_responder, workers, stopping},
                         std::move(connection)),
                     [this, id](const std::exception_ptr& error) {
                       if (error) {
                         log_connection_failure(error);
                       }
                       remove_connection(id);
                     });
    }
  }

  // On the control strand.
  void turn_away(tcp::socket socket) {
    if (auto held_back = cap_reached.let_through(std::chrono::steady_clock::now())) {
      std::cerr << "sillypaste: " << options.max_connections
                << " connections open, the most allowed; answering new ones 503"
                << held_back_note(*held_back) << "\n";
    }
    if (!detail::send_over_capacity_response(socket) ||
        lingering_turned_away.load() >= kMaxLingeringTurnedAway) {
      return;  // closed by the socket's destructor
    }
    ++lingering_turned_away;
    auto executor = socket.get_executor();
    asio::co_spawn(executor, detail::linger_and_close(std::move(socket)),
                   [this](const std::exception_ptr&) { --lingering_turned_away; });
  }

  std::size_t open_connections() {
    const std::lock_guard lock(mutex);
    return connections.size();
  }

  static void log_connection_failure(const std::exception_ptr& error) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      std::cerr << "sillypaste: connection failed: " << e.what() << "\n";
    } catch (...) {
      std::cerr << "sillypaste: connection failed\n";
    }
  }

  std::uint64_t add_connection(const std::shared_ptr<detail::Connection>& connection) {
    const std::lock_guard lock(mutex);
    const std::uint64_t id = next_id++;
    connections.emplace(id, connection);
    return id;
  }

  void remove_connection(std::uint64_t id) {
    bool drained = false;
    {
      const std::lock_guard lock(mutex);
      connections.erase(id);
      drained = stopping && connections.empty();
    }
    if (drained) {
      asio::post(control, [this] { finish(); });
    }
  }

  // On the control strand.
  void begin_shutdown() {
    if (stopping.exchange(true)) {
      return;
    }
    close_listeners();
    grace_timer.expires_after(kGracePeriod);
    grace_timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec) {
        return;
      }
      std::cerr << "sillypaste: requests still running after the grace period; stopping\n";
      finish();
    });
    bool drained = false;
    {
      const std::lock_guard lock(mutex);
      for (const auto& [id, weak] : connections) {
        if (auto connection = weak.lock()) {
          asio::post(connection->stream.get_executor(), [connection] {
            if (connection->idle) {
              connection->stream.cancel();
            }
          });
        }
      }
      drained = connections.empty();
    }
    if (drained) {
      finish();
    }
  }

  // On the control strand.
  void finish() {
    if (finished) {
      return;
    }
    finished = true;
    grace_timer.cancel();
    for (auto& context : ios) {
      context->stop();
    }
  }

  ServerOptions options;
  Handler handler;
  QuickHandler quick_handler;
  ErrorResponder error_responder;
  std::atomic<bool> stopping{false};
  // Declared before io: pending coroutines in io may hold work on the pool while io is
  // destroyed.
  asio::thread_pool workers;
  std::vector<std::unique_ptr<asio::io_context>> ios;
  asio::io_context& io;     // the first: the acceptor, signals and control strand live there
  std::size_t next_io = 0;  // control strand only
  asio::strand<asio::io_context::executor_type> control;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer grace_timer;
  bool finished = false;      // control strand only
  Complaint accept_failures;  // control strand only
  Complaint cap_reached;      // control strand only
  std::atomic<unsigned> lingering_turned_away{0};
  bool listening = false;
  unsigned short bound_port = 0;

  std::mutex mutex;  // guards connections and next_id
  std::unordered_map<std::uint64_t, std::weak_ptr<detail::Connection>> connections;
  std::uint64_t next_id = 0;
};

Server::Server(ServerOptions options, Handler handler, ErrorResponder error_responder)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler),
                                   std::move(error_responder))) {}

Server::~Server() = default;

void Server::listen() {
  Impl& s = *impl_;
  std::string host = s.options.address;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code ec;
  tcp::endpoint endpoint;
  const auto address = asio::ip::make_address(host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, s.options.port);
  } else {
    tcp::resolver resolver(s.io);
    const auto results = resolver.resolve(host, std::to_string(s.options.port), ec);
    if (ec || results.empty()) {
      throw std::system_error(ec ? ec : asio::error::host_not_found,
                              "cannot resolve listen address '" + s.options.address + "'");
    }
    endpoint = results.begin()->endpoint();
  }

  // Caught before the port accepts anything: once a client (a supervisor's health check)
  // can connect, it may send SIGTERM at once, and before run() takes it the signal would
  // kill the process instead of stopping it cleanly. run() takes one that came meanwhile.
  s.signals.add(SIGINT);
  s.signals.add(SIGTERM);
  const auto fail = [&](const char* what) {
    boost::system::error_code ignored;
    s.acceptor.close(ignored);
    throw std::system_error(
        ec, std::string{"cannot listen on "} + describe(endpoint) + " (" + what + ")");
  };
  s.acceptor.open(endpoint.protocol(), ec);
  if (ec) {
    fail("open");
  }
  s.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (ec) {
    fail("SO_REUSEADDR");
  }
  s.acceptor.bind(endpoint, ec);
  if (ec) {
    fail("bind");
  }
  s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    fail("listen");
  }
  s.bound_port = s.acceptor.local_endpoint().port();
  s.listening = true;
}

unsigned short Server::port() const { return impl_->bound_port; }

void Server::run() {
  Impl& s = *impl_;
  if (!s.listening) {
    listen();
  }
  s.signals.async_wait([&s](const boost::system::error_code& ec, int signal_number) {
    if (ec) {
      return;
    }
    std::cerr << "sillypaste: signal " << signal_number << ", shutting down\n";
    s.begin_shutdown();
  });
  asio::co_spawn(s.control, s.accept_loop(), asio::detached);

  // Each io_context runs until finish() stops it, even while none of its connections
  // has anything to do.
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  for (auto& context : s.ios) {
    keep_running.push_back(asio::make_work_guard(*context));
  }
  std::vector<std::jthread> threads;
  for (std::size_t i = 1; i < s.ios.size(); ++i) {
    threads.emplace_back([context = s.ios[i].get()] {
      core::name_this_thread("sp-network");
      run_io(*context);
    });
  }
  run_io(s.io);
}

void Server::set_quick_handler(QuickHandler quick_handler) {
  impl_->quick_handler = std::move(quick_handler);
}

void Server::stop() {
  asio::post(impl_->control, [impl = impl_.get()] { impl->begin_shutdown(); });
}

}  // namespace sillypaste::http
