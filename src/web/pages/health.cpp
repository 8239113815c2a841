#include <boost/json.hpp>

#include <chrono>

#include "web/handlers.hpp"
#include "web/http_cache.hpp"
#include "web/page.hpp"

namespace sillypaste::web {
namespace {

struct Check {
  std::string name;
  bool ok = false;
  std::string detail;
  double milliseconds = 0;
  std::optional<core::Micros> last_success;  // expiry only
};

std::vector<Check> run_checks(Context& ctx) {
  std::vector<Check> checks;
  {
    Check check;
    check.name = "database";
    const auto start = std::chrono::steady_clock::now();
    try {
      const int version = ctx.store().schema_version();
      check.ok = version > 0;
      check.detail = "schema version " + std::to_string(version);
    } catch (const std::exception& error) {
      check.detail = error.what();
    }
    check.milliseconds = std::chrono::duration<double, std::milli>(
                             std::chrono::steady_clock::now() - start)
                             .count();
    checks.push_back(check);
  }
  {
    Check check;
    check.name = "expiry";
    const int interval = ctx.services.settings.expire_interval_seconds;
    const auto state = ctx.services.expiry.snapshot();
    const std::string last =
        state.last_success ? core::format_iso8601(*state.last_success) : std::string("never");
    check.last_success = state.last_success;
    if (interval == 0) {
      check.ok = true;
      check.detail = "in-process expiry disabled (SILLYPASTE_EXPIRE_INTERVAL=0); last pass " + last;
    } else {
      // Healthy while the last successful pass is at most three intervals old.
      const core::Micros limit = core::Micros{3} * interval * core::kMicrosPerSecond;
      check.ok = state.last_success && ctx.now - *state.last_success <= limit;
      check.detail = "every " + std::to_string(interval) + " s; last successful pass " + last;
      if (!state.last_error.empty() && state.last_failure &&
          (!state.last_success || *state.last_failure > *state.last_success)) {
        check.detail += "; last failure: " + state.last_error;
      }
    }
    checks.push_back(check);
  }
  return checks;
}

bool all_ok(const std::vector<Check>& checks) {
  for (const auto& check : checks) {
    if (!check.ok) {
      return false;
    }
  }
  return true;
}

}  // namespace

http::Response health(Context& ctx) {
  const auto checks = run_checks(ctx);
  boost::json::object body;
  boost::json::object by_name;
  for (const auto& check : checks) {
    boost::json::object entry{{"ok", check.ok}, {"detail", check.detail}, {"ms", check.milliseconds}};
    if (check.last_success) {
      entry["last_success"] = core::format_iso8601(*check.last_success);
    }
    by_name[check.name] = std::move(entry);
  }
  body["ok"] = all_ok(checks);
  body["checks"] = std::move(by_name);
  body["version"] = SILLYPASTE_VERSION;
  http::Response response;
  response.status = all_ok(checks) ? 200 : 503;
  response.content_type = "application/json";
  response.body = boost::json::serialize(body);
  response.add_header("Cache-Control", "no-store");
  return response;
}

http::Response health_ping(Context&) {
  auto response = plain(200, "pong");
  response.body = "pong";
  response.add_header("Cache-Control", "no-store");
  return response;
}

http::Response health_dashboard(Context& ctx) {
  const auto checks = run_checks(ctx);
  List rows;
  for (const auto& check : checks) {
    Data row;
    row.set("name", check.name);
    row.set("ok", check.ok);
    row.set("detail", check.detail);
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.2f", check.milliseconds);
    row.set("ms", std::string(ms));
    rows.push_back(row);
  }
  Data data;
  data.set("checks", rows);
  data.set("ok", all_ok(checks));
  data.set("version", std::string(SILLYPASTE_VERSION));
  auto response =
      page(ctx, "health_dashboard", std::move(data), "Health", all_ok(checks) ? 200 : 503);
  response.add_header("Cache-Control", "no-store");
  return response;
}

http::Response static_file(Context& ctx, std::string_view name) {
  const auto* asset = ctx.services.assets.find(name);
  if (asset == nullptr) {
    return not_found(ctx);
  }
  const bool send_gzip =
      !asset->gzipped.empty() && accepts_gzip(ctx.request.header("accept-encoding"));
  http::Response response;
  response.content_type = asset->content_type;
  // The compressed form is another representation, so it gets its own tag.
  response.add_header("ETag", send_gzip ? asset->etag.substr(0, asset->etag.size() - 1) + "-gzip\""
                                        : asset->etag);
  response.add_header("Cache-Control", asset->fingerprinted ? "public, max-age=31536000, immutable"
                                                            : "public, max-age=3600");
  if (!asset->gzipped.empty()) {
    response.add_header("Vary", "Accept-Encoding");
  }
  if (etag_matches(ctx.request.header("if-none-match"), asset->etag)) {
    response.status = 304;
    return response;
  }
  if (send_gzip) {
    response.add_header("Content-Encoding", "gzip");
    response.body = asset->gzipped;
  } else {
    response.body = std::string(asset->content);
  }
  return response;
}

}  // namespace sillypaste::web
