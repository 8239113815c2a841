#include "config/describe.hpp"

namespace sillypaste::config {

std::string mask_database_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return std::string(url);
  }
  const auto authority_start = scheme_end + 3;
  const auto at = url.find('@', authority_start);
  const auto slash = url.find('/', authority_start);
  if (at == std::string_view::npos || (slash != std::string_view::npos && slash < at)) {
    return std::string(url);
  }
  const auto colon = url.find(':', authority_start);
  if (colon == std::string_view::npos || colon > at) {
    return std::string(url);
  }
  return std::string(url.substr(0, colon + 1)) + "***" + std::string(url.substr(at));
}

std::string describe_rate_limit(const RateLimit& limit) {
  if (!limit.enabled()) {
    return "off";
  }
  const long long window = limit.window_seconds;
  std::string period;
  if (window % 86400 == 0) {
    period = std::to_string(window / 86400) + "d";
  } else if (window % 3600 == 0) {
    period = std::to_string(window / 3600) + "h";
  } else if (window % 60 == 0) {
    period = std::to_string(window / 60) + "m";
  } else {
    period = std::to_string(window) + "s";
  }
  if (period.starts_with("1") && period.size() == 2) {
    period.erase(0, 1);
  }
  return std::to_string(limit.count) + "/" + period;
}

std::string describe(const Settings& settings) {
  auto line = [](std::string_view name, const std::string& value) {
    return "  " + std::string(name) + " = " + value + "\n";
  };
  std::string hosts;
  for (const auto& host : settings.allowed_hosts) {
    hosts += (hosts.empty() ? "" : ",") + host;
  }
  std::string out = "settings:\n";
  out += line("DATABASE_URL", mask_database_url(settings.database_url));
  out += line("SILLYPASTE_BIND", settings.bind_host + ":" + std::to_string(settings.port));
  out += line("SILLYPASTE_ALLOWED_HOSTS", hosts);
  out += line("SILLYPASTE_CANONICAL_HOST", settings.canonical_host.value_or("(unset)"));
  out += line("SILLYPASTE_SECRET_KEY",
              settings.secret_key ? "*** (set)" : "(generated, kept in the database)");
  out += line("SILLYPASTE_DEBUG", settings.debug ? "true" : "false");
  out += line("SILLYPASTE_EXPIRE_INTERVAL", std::to_string(settings.expire_interval_seconds));
  out += line("SILLYPASTE_MAX_PASTE_BYTES", std::to_string(settings.max_paste_bytes));
  out += line("SILLYPASTE_TRUST_PROXY", settings.trust_proxy ? "true" : "false");
  out += line("SILLYPASTE_DB_POOL_SIZE", std::to_string(settings.db_pool_size));
  out += line("SILLYPASTE_METRICS_TOKEN", settings.metrics_token ? "*** (set)" : "(unset: /metrics off)");
  out += line("SILLYPASTE_LOG_FORMAT", settings.log_json ? "json" : "text");
  out += line("SILLYPASTE_MAX_CONNECTIONS", std::to_string(settings.max_connections));
  out += line("SILLYPASTE_REQUEST_TIMEOUT", std::to_string(settings.request_timeout_seconds));
  out += line("SILLYPASTE_IDLE_TIMEOUT", std::to_string(settings.idle_timeout_seconds));
  out += line("SILLYPASTE_RATE_LIMIT_CREATE", describe_rate_limit(settings.create_rate));
  out += line("SILLYPASTE_RATE_LIMIT_REGISTER", describe_rate_limit(settings.register_rate));
  out += line("SILLYPASTE_RATE_LIMIT_LOGIN", describe_rate_limit(settings.login_rate));
  return out;
}

}  // namespace sillypaste::config
