#pragma once

#include <optional>
#include <string>

#include "config/settings.hpp"
#include "core/login_throttle.hpp"
#include "core/rate_limiter.hpp"
#include "core/model.hpp"
#include "core/paste_query.hpp"
#include "http/form.hpp"
#include "http/message.hpp"
#include "jobs/expiry_monitor.hpp"
#include "jobs/hit_counter.hpp"
#include "store/store.hpp"
#include "web/language_catalog.hpp"
#include "web/response_cache.hpp"
#include "web/static_assets.hpp"
#include "web/templates.hpp"

namespace sillypaste::web {

// What lives as long as the server: shared by every request, read-only but for the store
// and the hit counter (both thread-safe).
struct Services {
  const config::Settings& settings;
  std::string secret_key;
  store::Store& store;
  jobs::HitCounter& hits;
  const Templates& templates;
  const StaticAssets& assets;
  const LanguageCatalog& languages;
  core::LoginThrottle& login_throttle;
  const jobs::ExpiryMonitor& expiry;
  core::RateLimiter& create_limiter;    // pastes created per client address
  core::RateLimiter& register_limiter;  // accounts registered per client address
  ResponseCache& responses;             // listings as anonymous visitors see them
};

// Thrown by a handler running on a network thread (Context::quick) when answering would
// take more than a quick, non-blocking look: the request then goes to a worker thread.
// Not a std::exception, so it is never answered as a 500.
struct NotQuick {};

// One request as the handlers see it.
struct Context {
  Context(Services& services_in, http::Request& request_in)
      : services(services_in), request(request_in) {}

  Services& services;
  http::Request& request;
  core::Micros now = 0;
  http::Fields query;
  std::string_view route_name = "unmatched";  // for /metrics
  // On a network thread: only what is cached or a quick read (see NotQuick).
  bool quick = false;

  // Who is asking (from the session cookie).
  std::optional<std::string> session_id;
  std::optional<core::User> user;
  core::Viewer viewer;

  // A valid CSRF token for forms on this page (see session.hpp).
  std::string csrf_token;
  // Set-Cookie headers to add to whatever response the handler returns.
  http::Headers cookies;

  [[nodiscard]] store::Store& store() const { return services.store; }
  // A registered (not anonymous) user is logged in.
  [[nodiscard]] bool logged_in() const { return user && !user->is_anonymous; }
  // "http://127.0.0.1:8000", from the (already validated) Host header.
  [[nodiscard]] std::string origin() const;
};

}  // namespace sillypaste::web
