#include "config/settings.hpp"

#include <charconv>
#include <cstdlib>

#include "core/text.hpp"

namespace sillypaste::config {
namespace {

[[noreturn]] void fail(std::string_view name, std::string_view value, std::string_view why) {
  throw SettingsError(std::string(name) + ": invalid value '" + std::string(value) + "': " +
                      std::string(why));
}

}  // namespace

const std::vector<SettingInfo>& setting_infos() {
  static const std::vector<SettingInfo> infos{
      {"database-url", {"DATABASE_URL"},
       "sqlite:///relative/path, sqlite:////absolute/path or postgres://user:pass@host/db"},
      {"bind", {"SILLYPASTE_BIND"}, "listen address host:port (default 127.0.0.1:8000)"},
      {"port", {"PORT"}, "listen port, when --bind is not given"},
      {"allowed-hosts", {"SILLYPASTE_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS"},
       "comma-separated Host names accepted (default 127.0.0.1,localhost,::1)"},
      {"canonical-host", {"SILLYPASTE_CANONICAL_HOST"},
       "redirect every other allowed Host to this one"},
      {"secret-key", {"SILLYPASTE_SECRET_KEY"},
       "key that signs sessions and CSRF tokens (default: generated, kept in the database)"},
      {"debug", {"SILLYPASTE_DEBUG"}, "true/false: error details in pages (default false)"},
      {"expire-interval", {"SILLYPASTE_EXPIRE_INTERVAL"},
       "seconds between in-process expiry passes; 0 disables (default 60)"},
      {"max-paste-bytes", {"SILLYPASTE_MAX_PASTE_BYTES"},
       "largest paste body in bytes (default 2097152)"},
      {"trust-proxy", {"SILLYPASTE_TRUST_PROXY"},
       "true/false: honour X-Forwarded-For and X-Forwarded-Proto (default false)"},
      {"db-pool-size", {"SILLYPASTE_DB_POOL_SIZE"},
       "database connections each process keeps open, 1-1000 (default 8)"},
      {"metrics-token", {"SILLYPASTE_METRICS_TOKEN"},
       "bearer token that unlocks /metrics (16+ characters; default: /metrics is off)"},
      {"log-format", {"SILLYPASTE_LOG_FORMAT"}, "access log format: text (default) or json"},
      {"max-connections", {"SILLYPASTE_MAX_CONNECTIONS"},
       "open client connections before new ones get 503, 1-1000000 (default 4096)"},
      {"request-timeout", {"SILLYPASTE_REQUEST_TIMEOUT"},
       "seconds a client has to send one whole request, 1-3600 (default 30)"},
      {"idle-timeout", {"SILLYPASTE_IDLE_TIMEOUT"},
       "seconds an idle keep-alive connection stays open, 1-3600 (default 75)"},
      {"rate-limit-create", {"SILLYPASTE_RATE_LIMIT_CREATE"},
       "pastes one client address may create, as N/period (60/m, 10/5m, 100/h) or off "
       "(default 60/m)"},
      {"rate-limit-register", {"SILLYPASTE_RATE_LIMIT_REGISTER"},
       "accounts one client address may register, N/period or off (default 10/h)"},
      {"rate-limit-login", {"SILLYPASTE_RATE_LIMIT_LOGIN"},
       "failed logins per username and per address, N/period or off (default 10/5m)"},
  };
  return infos;
}

EnvLookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) {
      return std::nullopt;
    }
    return std::string(value);
  };
}

bool parse_bool(std::string_view name, std::string_view value) {
  const std::string lower = core::ascii_lower(value);
  if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") {
    return true;
  }
  if (lower == "false" || lower == "0" || lower == "no" || lower == "off") {
    return false;
  }
  fail(name, value, "expected one of true/false/1/0/yes/no/on/off");
}

long long parse_integer(std::string_view name, std::string_view value, long long min,
                        long long max) {
  long long result = 0;
  const auto* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, result);
  if (value.empty() || ec != std::errc{} || ptr != end) {
    fail(name, value, "expected a whole number");
  }
  if (result < min || result > max) {
    fail(name, value,
         "expected a number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return result;
}

BindAddress parse_bind(std::string_view name, std::string_view value) {
  std::string_view host;
  std::string_view port;
  if (!value.empty() && value.front() == '[') {
    const auto close = value.find(']');
    if (close == std::string_view::npos || close + 1 >= value.size() || value[close + 1] != ':') {
      fail(name, value, "expected [ipv6]:port");
    }
    host = value.substr(1, close - 1);
    port = value.substr(close + 2);
  } else {
    const auto colon = value.rfind(':');
    if (colon == std::string_view::npos || value.find(':') != colon) {
      fail(name, value, "expected host:port, e.g. 127.0.0.1:8000 or [::1]:8000");
    }
    host = value.substr(0, colon);
    port = value.substr(colon + 1);
  }
  if (host.empty()) {
    fail(name, value, "the host is empty");
  }
  return BindAddress{std::string(host),
                     static_cast<unsigned short>(parse_integer(name, port, 0, 65535))};
}

std::vector<std::string> parse_host_list(std::string_view name, std::string_view value) {
  std::vector<std::string> hosts;
  std::size_t start = 0;
  while (start <= value.size()) {
    const auto comma = value.find(',', start);
    const auto item = core::trim(value.substr(start, comma == std::string_view::npos
                                                         ? std::string_view::npos
                                                         : comma - start));
    if (!item.empty()) {
      for (char c : item) {
        if (c == ' ' || c == '/' || static_cast<unsigned char>(c) < 0x21) {
          fail(name, value, "host names may not contain spaces or '/'");
        }
      }
      hosts.push_back(core::ascii_lower(item));
    }
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  if (hosts.empty()) {
    fail(name, value, "expected a comma-separated list of host names");
  }
  return hosts;
}

RateLimit parse_rate_limit(std::string_view name, std::string_view value) {
  const std::string lower = core::ascii_lower(core::trim(value));
  if (lower == "off" || lower == "0") {
    return RateLimit{0, 60};
  }
  const auto slash = lower.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 >= lower.size()) {
    fail(name, value, "expected N/period such as 60/m, 10/5m, 100/h, or off");
  }
  const std::string_view text{lower};
  const auto count = parse_integer(name, text.substr(0, slash), 1, 1'000'000);
  std::string_view period = text.substr(slash + 1);
  long long unit = 0;
  switch (period.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    default: fail(name, value, "the period must end in s, m, h or d (60/m, 10/5m)");
  }
  period.remove_suffix(1);
  long long multiple = 1;
  if (!period.empty()) {
    multiple = parse_integer(name, period, 1, 1'000'000);
  }
  const long long window = multiple * unit;
  if (window > 7 * 86400) {
    fail(name, value, "the period may be at most 7 days");
  }
  return RateLimit{static_cast<int>(count), window};
}

void check_database_url(std::string_view name, std::string_view value) {
  if (value.starts_with("sqlite:///")) {
    if (value.size() == std::string_view("sqlite:///").size()) {
      fail(name, value, "the SQLite file path is empty");
    }
    return;
  }
  if (value.starts_with("postgres://") || value.starts_with("postgresql://")) {
    return;
  }
  fail(name, value,
       "expected sqlite:///relative/path, sqlite:////absolute/path or postgres://...");
}

std::string host_without_port(std::string_view host_header) {
  if (!host_header.empty() && host_header.front() == '[') {
    const auto close = host_header.find(']');
    return core::ascii_lower(host_header.substr(1, close == std::string_view::npos
                                                       ? std::string_view::npos
                                                       : close - 1));
  }
  const auto colon = host_header.rfind(':');
  if (colon != std::string_view::npos && host_header.find(':') == colon) {
    host_header = host_header.substr(0, colon);
  }
  return core::ascii_lower(host_header);
}

bool host_allowed(std::string_view host_header, const std::vector<std::string>& allowed) {
  const std::string host = host_without_port(host_header);
  if (host.empty()) {
    return false;
  }
  for (const auto& pattern : allowed) {
    if (pattern == "*" || pattern == host) {
      return true;
    }
    if (pattern.size() > 1 && pattern.front() == '.' &&
        (host == std::string_view(pattern).substr(1) || host.ends_with(pattern))) {
      return true;
    }
  }
  return false;
}

Settings load_settings(const EnvLookup& env, const std::map<std::string, std::string>& flags) {
  Settings settings;
  // The value of a setting and the name to blame when it is bad.
  auto lookup = [&](std::string_view flag) -> std::optional<std::pair<std::string, std::string>> {
    if (auto it = flags.find(std::string(flag)); it != flags.end()) {
      return std::make_pair("--" + std::string(flag), it->second);
    }
    for (const auto& info : setting_infos()) {
      if (info.flag == flag) {
        for (auto variable : info.env) {
          if (auto value = env(variable)) {
            return std::make_pair(std::string(variable), *value);
          }
        }
      }
    }
    return std::nullopt;
  };

  if (auto v = lookup("database-url")) {
    check_database_url(v->first, v->second);
    settings.database_url = v->second;
  }
  // PORT is checked even when SILLYPASTE_BIND, which wins, is given.
  if (auto p = lookup("port")) {
    settings.port = static_cast<unsigned short>(parse_integer(p->first, p->second, 0, 65535));
  }
  if (auto v = lookup("bind")) {
    auto bind = parse_bind(v->first, v->second);
    settings.bind_host = bind.host;
    settings.port = bind.port;
  }
  if (auto v = lookup("allowed-hosts")) {
    settings.allowed_hosts = parse_host_list(v->first, v->second);
  }
  if (auto v = lookup("canonical-host")) {
    auto hosts = parse_host_list(v->first, v->second);
    if (hosts.size() != 1 || hosts.front() == "*" || hosts.front().front() == '.') {
      fail(v->first, v->second, "expected one host name");
    }
    settings.canonical_host = hosts.front();
  }
  if (auto v = lookup("secret-key")) {
    if (v->second.size() < 16) {
      fail(v->first, "(hidden)", "the secret key must be at least 16 characters long");
    }
    settings.secret_key = v->second;
  }
  if (auto v = lookup("debug")) {
    settings.debug = parse_bool(v->first, v->second);
  }
  if (auto v = lookup("expire-interval")) {
    settings.expire_interval_seconds =
        static_cast<int>(parse_integer(v->first, v->second, 0, 7 * 24 * 3600));
  }
  if (auto v = lookup("max-paste-bytes")) {
    settings.max_paste_bytes =
        static_cast<std::size_t>(parse_integer(v->first, v->second, 1, 1LL << 30));
  }
  if (auto v = lookup("trust-proxy")) {
    settings.trust_proxy = parse_bool(v->first, v->second);
  }
  if (auto v = lookup("metrics-token")) {
    if (v->second.size() < 16) {
      fail(v->first, "(hidden)", "the metrics token must be at least 16 characters long");
    }
    settings.metrics_token = v->second;
  }
  if (auto v = lookup("log-format")) {
    const std::string format = core::ascii_lower(v->second);
    if (format != "text" && format != "json") {
      fail(v->first, v->second, "expected text or json");
    }
    settings.log_json = format == "json";
  }
  if (auto v = lookup("max-connections")) {
    settings.max_connections =
        static_cast<std::size_t>(parse_integer(v->first, v->second, 1, 1'000'000));
  }
  if (auto v = lookup("request-timeout")) {
    settings.request_timeout_seconds = static_cast<int>(parse_integer(v->first, v->second, 1, 3600));
  }
  if (auto v = lookup("idle-timeout")) {
    settings.idle_timeout_seconds = static_cast<int>(parse_integer(v->first, v->second, 1, 3600));
  }
  if (auto v = lookup("rate-limit-create")) {
    settings.create_rate = parse_rate_limit(v->first, v->second);
  }
  if (auto v = lookup("rate-limit-register")) {
    settings.register_rate = parse_rate_limit(v->first, v->second);
  }
  if (auto v = lookup("rate-limit-login")) {
    settings.login_rate = parse_rate_limit(v->first, v->second);
  }
  if (auto v = lookup("db-pool-size")) {
    settings.db_pool_size = static_cast<std::size_t>(parse_integer(v->first, v->second, 1, 1000));
  }
  return settings;
}

}  // namespace sillypaste::config
