#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "http/message.hpp"

namespace sillypaste::http {

// Makes the answer to a request. Runs on the request's network thread, so it must not
// block; it may throw, and the server then answers 500 as when a handler throws.
using MakeResponse = std::function<Response()>;

// The answer to a request whose handler returned before the work was done (a paste waiting
// for its group commit), so that its worker thread goes on to the next request. The
// handler returns Response::later(pending); whoever finishes the work calls complete()
// once, from any thread, and the server then sends what that MakeResponse makes.
// complete() must be called before the Server is destroyed.
class PendingResponse {
 public:
  // Any thread, once.
  void complete(MakeResponse make) {
    std::unique_lock lock(mutex_);
    if (!waiter_) {
      made_ = std::move(make);
      return;
    }
    Waiter waiter = std::move(*waiter_);
    waiter_.reset();
    lock.unlock();
    resume(std::move(waiter), std::move(make));
  }

  // Before the handler returns, on its thread: `adjust` is given what complete() was given
  // and returns what to make instead (adding headers, turning errors into pages). Added
  // later, it runs around the ones added before.
  using Adjust = std::function<Response(const MakeResponse& make)>;
  void adjust(Adjust adjust) {
    const std::lock_guard lock(mutex_);
    adjustments_.push_back(std::move(adjust));
  }

  // The server's: completes, on the token's executor, with what to make (every adjustment
  // applied) once complete() has been called.
  template <typename Token>
  auto async_wait(Token&& token) {
    return boost::asio::async_initiate<Token, void(MakeResponse)>(
        [this](auto handler) {
          boost::asio::any_io_executor executor = boost::asio::get_associated_executor(handler);
          Waiter waiter{std::move(handler), std::move(executor)};
          std::unique_lock lock(mutex_);
          if (!made_) {
            waiter_ = std::move(waiter);
            return;
          }
          MakeResponse make = std::move(*made_);
          made_.reset();
          lock.unlock();
          resume(std::move(waiter), std::move(make));
        },
        token);
  }

 private:
  struct Waiter {
    boost::asio::any_completion_handler<void(MakeResponse)> handler;
    boost::asio::any_io_executor executor;  // the handler's
  };

  void resume(Waiter waiter, MakeResponse make) {
    std::vector<Adjust> adjustments;
    {
      const std::lock_guard lock(mutex_);
      adjustments = std::move(adjustments_);
    }
    for (Adjust& adjust : adjustments) {
      make = [adjust = std::move(adjust), inner = std::move(make)] { return adjust(inner); };
    }
    boost::asio::post(waiter.executor,
                      [handler = std::move(waiter.handler), make = std::move(make)]() mutable {
                        std::move(handler)(std::move(make));
                      });
  }

  std::mutex mutex_;
  std::optional<MakeResponse> made_;  // complete()'s, until the server waits for it
  std::optional<Waiter> waiter_;      // the server's, until complete() is called
  std::vector<Adjust> adjustments_;
};

}  // namespace sillypaste::http
