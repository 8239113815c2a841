#pragma once

#include <string>
#include <string_view>

#include "config/settings.hpp"

namespace sillypaste::config {

// "postgres://user:***@host/db" — the password of a database URL hidden for logs.
[[nodiscard]] std::string mask_database_url(std::string_view url);

// "60/m", "10/5m", "off": the form parse_rate_limit reads.
[[nodiscard]] std::string describe_rate_limit(const RateLimit& limit);

// One line per setting in effect, secrets masked, for the startup log.
[[nodiscard]] std::string describe(const Settings& settings);

}  // namespace sillypaste::config
