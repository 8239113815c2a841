#include "config/settings.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace sillypaste::config {
namespace {

EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto it = values.find(std::string(name));
    if (it == values.end()) {
      return std::nullopt;
    }
    return it->second;
  };
}

std::string error_of(const std::map<std::string, std::string>& env,
                     const std::map<std::string, std::string>& flags = {}) {
  try {
    (void)load_settings(env_of(env), flags);
  } catch (const SettingsError& error) {
    return error.what();
  }
  return "";
}

TEST(Settings, DefaultsMatchTheSpec) {
  const auto settings = load_settings(env_of({}), {});
  EXPECT_EQ(settings.database_url, "sqlite:///sillypaste.db");
  EXPECT_EQ(settings.bind_host, "127.0.0.1");
  EXPECT_EQ(settings.port, 8000);
  EXPECT_EQ(settings.allowed_hosts, (std::vector<std::string>{"127.0.0.1", "localhost", "::1"}));
  EXPECT_FALSE(settings.debug);
  EXPECT_EQ(settings.expire_interval_seconds, 60);
  EXPECT_EQ(settings.max_paste_bytes, 2097152u);
  EXPECT_FALSE(settings.secret_key);
  EXPECT_FALSE(settings.trust_proxy);
  EXPECT_EQ(settings.db_pool_size, 8u);
}

TEST(Settings, DbPoolSizeFromEnvironmentOrFlagAndStrictlyParsed) {
  EXPECT_EQ(load_settings(env_of({{"SILLYPASTE_DB_POOL_SIZE", "3"}}), {}).db_pool_size, 3u);
  EXPECT_EQ(load_settings(env_of({{"SILLYPASTE_DB_POOL_SIZE", "3"}}), {{"db-pool-size", "20"}})
                .db_pool_size,
            20u);
  for (const auto* bad : {"0", "-1", "eight", "4.5", "", " 4", "1001"}) {
    const auto message = error_of({{"SILLYPASTE_DB_POOL_SIZE", bad}});
    EXPECT_NE(message.find("SILLYPASTE_DB_POOL_SIZE"), std::string::npos) << bad << ": " << message;
  }
  EXPECT_NE(error_of({}, {{"db-pool-size", "x"}}).find("--db-pool-size"), std::string::npos);
}

TEST(Settings, DebugAcceptsEveryDocumentedSpellingInAnyCase) {
  for (const auto* yes : {"true", "TRUE", "1", "yes", "On"}) {
    EXPECT_TRUE(load_settings(env_of({{"SILLYPASTE_DEBUG", yes}}), {}).debug) << yes;
  }
  for (const auto* no : {"false", "False", "0", "no", "OFF"}) {
    EXPECT_FALSE(load_settings(env_of({{"SILLYPASTE_DEBUG", no}}), {}).debug) << no;
  }
}

TEST(Settings, BadDebugValueNamesTheVariableAndTheValue) {
  const auto message = error_of({{"SILLYPASTE_DEBUG", "maybe"}});
  EXPECT_NE(message.find("SILLYPASTE_DEBUG"), std::string::npos) << message;
  EXPECT_NE(message.find("maybe"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(Settings, FlagOverridesEnvironmentAndIsNamedWhenBad) {
  const auto settings =
      load_settings(env_of({{"SILLYPASTE_BIND", "0.0.0.0:9000"}}), {{"bind", "127.0.0.1:7000"}});
  EXPECT_EQ(settings.port, 7000);
  EXPECT_NE(error_of({}, {{"debug", "perhaps"}}).find("--debug"), std::string::npos);
}

TEST(Settings, PortAloneSetsThePort) {
  const auto settings = load_settings(env_of({{"PORT", "8080"}}), {});
  EXPECT_EQ(settings.bind_host, "127.0.0.1");
  EXPECT_EQ(settings.port, 8080);
}

TEST(Settings, BindAcceptsIpv6) {
  const auto bind = parse_bind("X", "[::1]:8001");
  EXPECT_EQ(bind.host, "::1");
  EXPECT_EQ(bind.port, 8001);
}

TEST(Settings, BadValuesAreRefused) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"SILLYPASTE_BIND", "localhost"},        {"SILLYPASTE_BIND", "1.2.3.4:99999"},
      {"SILLYPASTE_BIND", ":80"},              {"PORT", "eighty"},
      {"PORT", "-1"},                          {"SILLYPASTE_EXPIRE_INTERVAL", "-5"},
      {"SILLYPASTE_EXPIRE_INTERVAL", "1.5"},   {"SILLYPASTE_MAX_PASTE_BYTES", "0"},
      {"SILLYPASTE_MAX_PASTE_BYTES", "10MB"},  {"SILLYPASTE_ALLOWED_HOSTS", " , "},
      {"DATABASE_URL", "mysql://x"},           {"DATABASE_URL", "sqlite:///"},
      {"SILLYPASTE_SECRET_KEY", "short"},      {"SILLYPASTE_TRUST_PROXY", "2"},
  };
  for (const auto& [name, value] : cases) {
    const auto message = error_of({{name, value}});
    EXPECT_NE(message.find(name), std::string::npos) << name << "=" << value << ": " << message;
  }
}

TEST(Settings, AllowedHostsFallBackToDjangoVariable) {
  const auto settings = load_settings(env_of({{"DJANGO_ALLOWED_HOSTS", "paste.example.com"}}), {});
  EXPECT_EQ(settings.allowed_hosts, std::vector<std::string>{"paste.example.com"});
  const auto both = load_settings(
      env_of({{"DJANGO_ALLOWED_HOSTS", "old.example"}, {"SILLYPASTE_ALLOWED_HOSTS", "new.example"}}),
      {});
  EXPECT_EQ(both.allowed_hosts, std::vector<std::string>{"new.example"});
}

TEST(HostCheck, MatchesNamesPortsDomainsAndWildcard) {
  const std::vector<std::string> allowed{"localhost", "::1", ".example.com"};
  EXPECT_TRUE(host_allowed("localhost:8000", allowed));
  EXPECT_TRUE(host_allowed("LOCALHOST", allowed));
  EXPECT_TRUE(host_allowed("[::1]:8000", allowed));
  EXPECT_TRUE(host_allowed("example.com", allowed));
  EXPECT_TRUE(host_allowed("paste.example.com", allowed));
  EXPECT_FALSE(host_allowed("evil.com", allowed));
  EXPECT_FALSE(host_allowed("notexample.com", allowed));
  EXPECT_FALSE(host_allowed("", allowed));
  EXPECT_TRUE(host_allowed("anything", {"*"}));
}

}  // namespace
}  // namespace sillypaste::config

namespace sillypaste::config {
namespace {

TEST(Settings, BadPortIsRefusedEvenWhenBindIsGiven) {
  EXPECT_NE(error_of({}, {{"bind", "127.0.0.1:8000"}, {"port", "99999"}}).find("--port"),
            std::string::npos);
}

}  // namespace
}  // namespace sillypaste::config

namespace sillypaste::config {
namespace {

TEST(Settings, MetricsTokenAndLogFormat) {
  EXPECT_FALSE(load_settings(env_of({}), {}).metrics_token);
  EXPECT_FALSE(load_settings(env_of({}), {}).log_json);
  EXPECT_TRUE(load_settings(env_of({{"SILLYPASTE_LOG_FORMAT", "JSON"}}), {}).log_json);
  EXPECT_NE(error_of({{"SILLYPASTE_LOG_FORMAT", "xml"}}).find("SILLYPASTE_LOG_FORMAT"),
            std::string::npos);
  EXPECT_NE(error_of({{"SILLYPASTE_METRICS_TOKEN", "short"}}).find("SILLYPASTE_METRICS_TOKEN"),
            std::string::npos);
  EXPECT_EQ(load_settings(env_of({{"SILLYPASTE_METRICS_TOKEN", "0123456789abcdef"}}), {})
                .metrics_token,
            "0123456789abcdef");
}

}  // namespace
}  // namespace sillypaste::config

namespace sillypaste::config {
namespace {

TEST(Settings, RateLimitsParseCountsAndPeriods) {
  EXPECT_EQ(parse_rate_limit("X", "60/m"), (RateLimit{60, 60}));
  EXPECT_EQ(parse_rate_limit("X", "10/5m"), (RateLimit{10, 300}));
  EXPECT_EQ(parse_rate_limit("X", "100/H"), (RateLimit{100, 3600}));
  EXPECT_EQ(parse_rate_limit("X", "5/30s"), (RateLimit{5, 30}));
  EXPECT_EQ(parse_rate_limit("X", "1000/d"), (RateLimit{1000, 86400}));
  EXPECT_FALSE(parse_rate_limit("X", "off").enabled());
  EXPECT_FALSE(parse_rate_limit("X", "0").enabled());
  for (const char* bad : {"", "60", "/m", "60/", "60/x", "-1/m", "a/m", "60/0m", "1/8d"}) {
    EXPECT_THROW((void)parse_rate_limit("X", bad), SettingsError) << bad;
  }
}

TEST(Settings, ConnectionAndRateSettingsHaveDefaultsAndNameTheVariableWhenBad) {
  const auto defaults = load_settings(env_of({}), {});
  EXPECT_EQ(defaults.max_connections, 4096U);
  EXPECT_EQ(defaults.create_rate, (RateLimit{60, 60}));
  EXPECT_EQ(defaults.register_rate, (RateLimit{10, 3600}));
  EXPECT_EQ(defaults.login_rate, (RateLimit{10, 300}));
  const auto set = load_settings(env_of({{"SILLYPASTE_MAX_CONNECTIONS", "10"},
                                         {"SILLYPASTE_IDLE_TIMEOUT", "5"},
                                         {"SILLYPASTE_REQUEST_TIMEOUT", "7"},
                                         {"SILLYPASTE_RATE_LIMIT_CREATE", "off"}}),
                                 {});
  EXPECT_EQ(set.max_connections, 10U);
  EXPECT_EQ(set.idle_timeout_seconds, 5);
  EXPECT_EQ(set.request_timeout_seconds, 7);
  EXPECT_FALSE(set.create_rate.enabled());
  EXPECT_NE(error_of({{"SILLYPASTE_RATE_LIMIT_REGISTER", "lots"}})
                .find("SILLYPASTE_RATE_LIMIT_REGISTER"),
            std::string::npos);
  EXPECT_NE(error_of({{"SILLYPASTE_MAX_CONNECTIONS", "0"}}).find("SILLYPASTE_MAX_CONNECTIONS"),
            std::string::npos);
}

}  // namespace
}  // namespace sillypaste::config
