#pragma once

#include <memory>
#include <optional>
#include <string>

#include "config/settings.hpp"
#include "http/message.hpp"
#include "jobs/expiry_monitor.hpp"
#include "jobs/hit_counter.hpp"
#include "store/store.hpp"

namespace sillypaste::web {

// The web application: Host checks, routing, sessions, security headers, and the one
// place where an unexpected failure becomes a 500 page.
class App {
 public:
  App(const config::Settings& settings, std::string secret_key, store::Store& store,
      jobs::HitCounter& hits, const jobs::ExpiryMonitor& expiry);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  [[nodiscard]] http::Response handle(http::Request& request);
  // On a network thread: the answer if it is cached or a quick read (GET and HEAD from
  // visitors without a session: static files, pastes on SQLite, cached listings), else
  // nothing and the request goes to handle() on a worker. Never blocks, never throws.
  [[nodiscard]] std::optional<http::Response> answer_quickly(http::Request& request);
  // The answer to a request the transport refused before routing (400, 408, 413, 500).
  [[nodiscard]] http::Response refuse(unsigned status, const std::string& target,
                                      const std::string& method);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sillypaste::web
