#include "web/app.hpp"

#include <chrono>
#include <iostream>
#include <utility>

#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "core/random.hpp"
#include "http/cookies.hpp"
#include "http/pending_response.hpp"
#include "store/quick_reads.hpp"
#include "web/cached_answer.hpp"
#include "web/context.hpp"
#include "web/metrics.hpp"
#include "web/handlers.hpp"
#include "web/http_cache.hpp"
#include "web/page.hpp"
#include "web/router.hpp"
#include "web/session.hpp"

namespace sillypaste::web {
namespace {

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

void add_security_headers(http::Response& response) {
  response.add_header("X-Content-Type-Options", "nosniff");
  response.add_header("X-Frame-Options", "DENY");
  response.add_header("Referrer-Policy", "same-origin");
  response.add_header("Content-Security-Policy", std::string(kContentSecurityPolicy));
  response.add_header("Cross-Origin-Opener-Policy", "same-origin");
}

http::Response dispatch(Context& ctx, const Route& route) {
  const PasteRef by_id{route.id, {}};
  const PasteRef by_secret{std::nullopt, route.argument};
  switch (route.page) {
    case Page::kHome: return home(ctx);
    case Page::kPasteNew: return paste_new(ctx);
    case Page::kAll: return all_pastes(ctx);
    case Page::kStats: return stats(ctx);
    case Page::kPrivacy: return privacy_policy(ctx);
    case Page::kHealth: return health(ctx);
    case Page::kHealthPing: return health_ping(ctx);
    case Page::kHealthDashboard: return health_dashboard(ctx);
    case Page::kStatic: return static_file(ctx, route.argument);
    case Page::kPasteShow: return paste_show(ctx, by_id);
    case Page::kPasteRaw: return paste_raw(ctx, by_id);
    case Page::kPasteRender: return paste_render(ctx, by_id);
    case Page::kPasteEdit: return paste_edit(ctx, *route.id);
    case Page::kPasteDelete: return paste_delete(ctx, *route.id);
    case Page::kSecretShow: return paste_show(ctx, by_secret);
    case Page::kSecretRaw: return paste_raw(ctx, by_secret);
    case Page::kSecretRender: return paste_render(ctx, by_secret);
    case Page::kRegister: return register_page(ctx);
    case Page::kLogin: return login_page(ctx);
    case Page::kLogout: return logout_page(ctx);
    case Page::kPasswordChange: return password_change_page(ctx);
    case Page::kPasswordChangeDone: return password_change_done_page(ctx);
    case Page::kProfile: return profile(ctx, route.argument);
    case Page::kMyPastes: return my_pastes(ctx);
    case Page::kAdmin: return admin_home(ctx);
    case Page::kAdminPastes: return admin_pastes(ctx);
    case Page::kAdminUsers: return admin_users(ctx);
    case Page::kAdminLanguages: return admin_languages(ctx);
  }
  return not_found(ctx);
}

std::string_view page_name(Page page) {
  switch (page) {
    case Page::kHome: return "home";
    case Page::kPasteNew: return "paste_new";
    case Page::kAll: return "all";
    case Page::kStats: return "stats";
    case Page::kPrivacy: return "privacy";
    case Page::kHealth: return "health";
    case Page::kHealthPing: return "health_ping";
    case Page::kHealthDashboard: return "health_dashboard";
    case Page::kStatic: return "static";
    case Page::kPasteShow: case Page::kSecretShow: return "paste";
    case Page::kPasteRaw: case Page::kSecretRaw: return "paste_raw";
    case Page::kPasteRender: case Page::kSecretRender: return "paste_render";
    case Page::kPasteEdit: return "paste_edit";
    case Page::kPasteDelete: return "paste_delete";
    case Page::kRegister: case Page::kLogin: case Page::kLogout: case Page::kPasswordChange:
    case Page::kPasswordChangeDone: return "accounts";
    case Page::kProfile: case Page::kMyPastes: return "profile";
    case Page::kAdmin: case Page::kAdminPastes: case Page::kAdminUsers:
    case Page::kAdminLanguages: return "admin";
  }
  return "unmatched";
}

// What a network thread may answer (Context::quick); the listings only from the cache.
bool quick_page(Page page) {
  switch (page) {
    case Page::kHome: case Page::kAll: case Page::kStatic: case Page::kPasteShow:
    case Page::kPasteRaw: case Page::kSecretShow: case Page::kSecretRaw:
      return true;
    default:
      return false;
  }
}

bool reads_a_paste(Page page) {
  return page == Page::kPasteShow || page == Page::kPasteRaw || page == Page::kSecretShow ||
         page == Page::kSecretRaw;
}

// Worth trying on a network thread: a read by a visitor without a session or a token
// (both would need the database).
bool may_be_quick(const http::Request& request) {
  return (request.method == "GET" || request.method == "HEAD") &&
         !request.header("authorization") && !http::cookie(request, kSessionCookie);
}

// A raw POST to / ignores cookies: it cannot act as a logged-in visitor.
bool uses_session(const http::Request& request, const Route& route) {
  return !(route.page == Page::kHome && request.method == "POST") &&
         route.page != Page::kStatic && route.page != Page::kHealthPing &&
         route.page != Page::kHealth;
}

// Listings cached for anonymous visitors are dropped after any request that may have
// written (the writes a GET makes, hit counts and burning a paste, never show in them).
bool may_write(const http::Request& request) {
  return request.method != "GET" && request.method != "HEAD" && request.method != "OPTIONS";
}

core::Micros window_of(const config::RateLimit& rate) {
  return rate.window_seconds * core::kMicrosPerSecond;
}

}  // namespace

struct App::Impl {
  Impl(const config::Settings& settings_in, std::string secret_key, store::Store& store,
       jobs::HitCounter& hits, const jobs::ExpiryMonitor& expiry)
      : settings(settings_in),
        languages(store.languages()),
        login_throttle(settings_in.login_rate.count, window_of(settings_in.login_rate)),
        create_limiter(settings_in.create_rate.count, window_of(settings_in.create_rate)),
        register_limiter(settings_in.register_rate.count, window_of(settings_in.register_rate)),
        services{settings,  std::move(secret_key), store,          hits,
                 templates, assets,                languages,      login_throttle,
                 expiry,    create_limiter,        register_limiter, responses} {}

  const config::Settings& settings;
  Templates templates;
  StaticAssets assets;
  LanguageCatalog languages;
  core::LoginThrottle login_throttle;
  core::RateLimiter create_limiter;
  core::RateLimiter register_limiter;
  ResponseCache responses;
  Services services;
  Metrics metrics;

  // GET /metrics with the bearer token; 404 when no token is configured.
  http::Response metrics_page(Context& ctx) {
    if (!settings.metrics_token) {
      return not_found(ctx);
    }
    const auto header = ctx.request.header("authorization").value_or("");
    if (!header.starts_with("Bearer ") ||
        !core::constant_time_equals(header.substr(7), *settings.metrics_token)) {
      auto response = plain(401, "Send Authorization: Bearer <SILLYPASTE_METRICS_TOKEN>.");
      response.add_header("WWW-Authenticate", "Bearer");
      return response;
    }
    http::Response response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = metrics.render(ctx.store().stats(), services.expiry.snapshot(),
                                   ctx.store().search_backlog());
    return response;
  }

  // A write refused for lack of disk space: reads still work and writes will once space
  // is freed, so this is a 503 with a time to retry, in the form the client reads.
  static http::Response storage_full(Context& ctx) {
    constexpr std::string_view kMessage = "The server is out of storage space; try again later.";
    const auto& request = ctx.request;
    const bool plain_text =
        (request.method == "POST" && request.path == "/") || request.path.ends_with("/raw/");
    ctx.cookies.clear();
    http::Response response;
    try {
      response = plain_text ? plain(503, kMessage) : error_page(ctx, 503, kMessage);
    } catch (const std::exception&) {
      response = plain(503, kMessage);
    }
    ctx.cookies.clear();
    response.add_header("Retry-After", "60");
    return response;
  }

  // What `produce` answers, with the cookies the request set, or the error page for what
  // it threw. A pending answer gets its cookies when it is made.
  template <typename Produce>
  http::Response answer(Context& ctx, Produce&& produce) {
    const http::Request& request = ctx.request;
    http::Response response;
    try {
      response = std::forward<Produce>(produce)();
      if (!response.pending) {
        apply_cookies(ctx, response);
      }
    } catch (const store::StorageFull& error) {
      metrics.count_database_error();
      std::cerr << "sillypaste: out of storage space on " << request.method << " " << request.target
                << ": " << error.what() << '\n';
      response = storage_full(ctx);
    } catch (const std::exception& error) {
      if (dynamic_cast<const store::StoreError*>(&error) != nullptr) {
        metrics.count_database_error();
      }
      std::cerr << "sillypaste: error on " << request.method << " " << request.target << ": "
                << error.what() << '\n';
      ctx.cookies.clear();
      try {
        response =
            error_page(ctx, 500,
                       settings.debug ? std::string("Server error: ") + error.what()
                                      : std::string("Something went wrong on our side; it has been "
                                                    "logged. Please try again."));
      } catch (const std::exception&) {
        response = plain(500, "Server error.");
      }
      ctx.cookies.clear();
    }
    return response;
  }

  // After the answer is made: what a write changed is no longer cached, and the answer
  // gets what every answer gets.
  void conclude(Context& ctx, http::Response& response,
                std::chrono::steady_clock::time_point started) {
    if (may_write(ctx.request)) {
      responses.invalidate();
    }
    finish(ctx, response, started);
  }

  // What every answer gets on its way out.
  void finish(Context& ctx, http::Response& response,
              std::chrono::steady_clock::time_point started) {
    add_security_headers(response);
    try {
      compress_if_worthwhile(ctx.request, response);
    } catch (const std::exception& error) {
      std::cerr << "sillypaste: not compressed: " << error.what() << '\n';
    }
    metrics.observe(ctx.route_name, response.status,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
                        .count());
  }

  http::Response route(Context& ctx) {
    auto& request = ctx.request;
    const auto host = request.header("host");
    if (!host || !config::host_allowed(*host, settings.allowed_hosts)) {
      return error_page(ctx, 400,
                        "Bad Request: the Host header '" + std::string(host.value_or("")) +
                            "' is not one this server answers to (SILLYPASTE_ALLOWED_HOSTS).");
    }
    // Health checks are answered on any allowed Host: load balancers probe by address.
    if (settings.canonical_host && !request.path.starts_with("/health/") &&
        config::host_without_port(*host) != *settings.canonical_host) {
      // An absolute-form target ("http://x/y") still redirects to its path only.
      const std::string path_and_query =
          request.target.starts_with('/')
              ? request.target
              : request.path + (request.query.empty() ? "" : "?" + request.query);
      return redirect((request.secure ? "https://" : "http://") + *settings.canonical_host +
                          path_and_query,
                      301);
    }
    auto query = http::parse_form(request.query);
    if (!query.ok()) {
      return error_page(ctx, 400,
                        "The query string could not be decoded: " + http::describe(query.error) +
                            ".");
    }
    ctx.query = std::move(query.fields);
    if (request.path == "/api" || request.path.starts_with("/api/")) {
      if (ctx.quick && request.path != "/api/paste/") {
        throw NotQuick{};  // of the API, only the cached list of pastes is quick
      }
      ctx.route_name = "api";
      return api::route(ctx);
    }
    if (request.path == "/metrics") {
      if (ctx.quick) {
        throw NotQuick{};
      }
      ctx.route_name = "metrics";
      return metrics_page(ctx);
    }
    auto route = match_route(request.path);
    if (ctx.quick && (!route || !quick_page(route->page) ||
                      (reads_a_paste(route->page) &&
                       accepts_gzip(request.header("accept-encoding"))))) {
      throw NotQuick{};  // compressing a paste is work for a worker thread
    }
    if (!route) {
      if (!request.path.ends_with('/') && match_route(request.path + "/")) {
        return redirect(request.path + "/" + (request.query.empty() ? "" : "?" + request.query),
                        301);
      }
      load_session(ctx);  // the 404 page still shows who is logged in
      return not_found(ctx);
    }
    ctx.route_name = page_name(route->page);
    if (uses_session(request, *route)) {
      load_session(ctx);
    }
    if (route->page == Page::kHome || route->page == Page::kAll) {
      return cached_answer(ctx, [&] { return dispatch(ctx, *route); });
    }
    return dispatch(ctx, *route);
  }
};

App::App(const config::Settings& settings, std::string secret_key, store::Store& store,
         jobs::HitCounter& hits, const jobs::ExpiryMonitor& expiry)
    : impl_(std::make_unique<Impl>(settings, std::move(secret_key), store, hits, expiry)) {}

App::~App() = default;

http::Response App::handle(http::Request& request) {
  Context ctx(impl_->services, request);
  const auto started = std::chrono::steady_clock::now();
  ctx.now = core::now_micros();
  http::Response response = impl_->answer(ctx, [&] { return impl_->route(ctx); });
  if (response.pending) {
    // Finished where the answer is made, once the work is done; ctx is a copy (the request
    // it refers to lives until the answer is sent).
    response.pending->adjust(
        [impl = impl_.get(), ctx, started](const http::MakeResponse& make) mutable {
          http::Response made = impl->answer(ctx, make);
          impl->conclude(ctx, made, started);
          return made;
        });
    return response;
  }
  impl_->conclude(ctx, response, started);
  return response;
}

std::optional<http::Response> App::answer_quickly(http::Request& request) {
  if (!may_be_quick(request)) {
    return std::nullopt;
  }
  const store::QuickReadScope quick_reads;
  Context ctx(impl_->services, request);
  ctx.quick = true;
  const auto started = std::chrono::steady_clock::now();
  ctx.now = core::now_micros();
  http::Response response;
  try {
    response = impl_->route(ctx);
    apply_cookies(ctx, response);
  } catch (const NotQuick&) {
    return std::nullopt;
  } catch (const store::WouldWait&) {
    return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;  // the worker's attempt reports it
  }
  if (worth_compressing(request, response)) {
    return std::nullopt;  // not expected: pastes for gzip clients go to workers (route)
  }
  impl_->finish(ctx, response, started);
  return response;
}

http::Response App::refuse(unsigned status, const std::string& target, const std::string& method) {
  http::Request request;
  request.method = method;
  request.target = target;
  http::Response response;
  const std::string message =
      status == 413 ? "The request body is larger than this server accepts (the paste limit is " +
                          std::to_string(impl_->settings.max_paste_bytes) + " bytes)."
      : status == 408 ? std::string("The request took too long to arrive.")
      : status == 400 ? std::string("The request could not be understood.")
                      : std::string(status_reason(status));
  const bool plain_text = (target == "/" || target.starts_with("/?")) && method == "POST";
  if (target == "/api" || target.starts_with("/api/") || target.starts_with("/api?")) {
    response = api::detail(status, message);
  } else if (plain_text || target.ends_with("/raw/")) {
    response = plain(status, message);
  } else {
    try {
      Context ctx(impl_->services, request);
      response = error_page(ctx, status, message);
      ctx.cookies.clear();
    } catch (const std::exception&) {
      response = plain(status, message);
    }
  }
  add_security_headers(response);
  return response;
}

}  // namespace sillypaste::web
