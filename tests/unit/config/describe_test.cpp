#include "config/describe.hpp"

#include <gtest/gtest.h>

namespace sillypaste::config {
namespace {

TEST(Describe, MasksDatabasePasswordsAndSecrets) {
  EXPECT_EQ(mask_database_url("postgres://user:hunter2@db:5432/paste"),
            "postgres://user:***@db:5432/paste");
  EXPECT_EQ(mask_database_url("postgresql://user@db/paste"), "postgresql://user@db/paste");
  EXPECT_EQ(mask_database_url("sqlite:///x.db"), "sqlite:///x.db");
  Settings settings;
  settings.secret_key = "super-secret-value-123";
  settings.metrics_token = "metrics-token-value-456";
  settings.database_url = "postgres://u:pw-secret@h/d";
  const auto text = describe(settings);
  EXPECT_EQ(text.find("super-secret-value-123"), std::string::npos);
  EXPECT_EQ(text.find("metrics-token-value-456"), std::string::npos);
  EXPECT_EQ(text.find("pw-secret"), std::string::npos);
  EXPECT_NE(text.find("SILLYPASTE_DEBUG = false"), std::string::npos);
}

TEST(Describe, RateLimitsReadBackAsTheyAreWritten) {
  for (const char* text : {"60/m", "10/5m", "100/h", "5/30s", "1000/d", "3/2h", "off"}) {
    EXPECT_EQ(describe_rate_limit(parse_rate_limit("X", text)), text);
  }
  EXPECT_NE(describe(Settings{}).find("SILLYPASTE_RATE_LIMIT_CREATE = 60/m"), std::string::npos);
}

}  // namespace
}  // namespace sillypaste::config
