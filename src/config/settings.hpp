#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sillypaste::config {

// At most `count` events per client address in any `window_seconds`; count 0 = no limit.
struct RateLimit {
  int count = 0;
  long long window_seconds = 60;
  [[nodiscard]] bool enabled() const { return count > 0; }
  bool operator==(const RateLimit&) const = default;
};

struct Settings {
  std::string database_url = "sqlite:///sillypaste.db";
  std::string bind_host = "127.0.0.1";
  unsigned short port = 8000;
  std::vector<std::string> allowed_hosts{"127.0.0.1", "localhost", "::1"};
  std::optional<std::string> canonical_host;
  std::optional<std::string> secret_key;  // nullopt: generated once, kept in the database
  bool debug = false;
  int expire_interval_seconds = 60;  // 0 disables the in-process expiry timer
  std::size_t max_paste_bytes = 2097152;
  bool trust_proxy = false;
  std::size_t db_pool_size = 8;  // database connections each process keeps open
  // /metrics answers only with `Authorization: Bearer <token>`; unset: /metrics is off.
  std::optional<std::string> metrics_token;
  bool log_json = false;  // access log lines as JSON (SILLYPASTE_LOG_FORMAT=json)
  std::size_t max_connections = 4096;  // open client connections; beyond it: 503 and close
  int request_timeout_seconds = 30;    // to receive one whole request (headers and body)
  int idle_timeout_seconds = 75;       // a keep-alive connection idle between requests
  RateLimit create_rate{60, 60};       // pastes created per client address
  RateLimit register_rate{10, 3600};   // accounts registered per client address
  RateLimit login_rate{10, 300};       // failed logins per username and per address
};

// A setting whose value cannot be used. what() is one line naming the setting and value.
class SettingsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One setting: its flag (without "--"), its environment variable(s), what it does.
struct SettingInfo {
  std::string_view flag;
  std::vector<std::string_view> env;  // first one set wins
  std::string_view help;
};
[[nodiscard]] const std::vector<SettingInfo>& setting_infos();

using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
[[nodiscard]] EnvLookup process_environment();

// Flag values given on the command line, by flag name ("bind", "debug", ...). A flag
// overrides its environment variable. Throws SettingsError on the first bad value.
[[nodiscard]] Settings load_settings(const EnvLookup& env,
                                     const std::map<std::string, std::string>& flags);

// Strict parsers, exposed for tests. Each throws SettingsError naming `name`.
[[nodiscard]] bool parse_bool(std::string_view name, std::string_view value);
[[nodiscard]] long long parse_integer(std::string_view name, std::string_view value,
                                      long long min, long long max);
struct BindAddress {
  std::string host;
  unsigned short port;
};
[[nodiscard]] BindAddress parse_bind(std::string_view name, std::string_view value);
[[nodiscard]] std::vector<std::string> parse_host_list(std::string_view name,
                                                       std::string_view value);
// "60/m", "10/5m", "100/h", "5/30s", "1000/d"; "0" or "off" for no limit.
[[nodiscard]] RateLimit parse_rate_limit(std::string_view name, std::string_view value);
void check_database_url(std::string_view name, std::string_view value);

// Host header value ("example.com:8000", "[::1]:8000") against the allowed list: exact
// names (case-insensitive), ".example.com" for a domain and its subdomains, "*" for any.
[[nodiscard]] bool host_allowed(std::string_view host_header,
                                const std::vector<std::string>& allowed);
// "example.com:8000" -> "example.com", "[::1]:8000" -> "::1".
[[nodiscard]] std::string host_without_port(std::string_view host_header);

}  // namespace sillypaste::config
