// config::load_settings with an environment and flags read from the input, one per line:
// "NAME=value" is an environment variable, "--flag=value" a command-line flag. Bad values
// must come out as SettingsError, nothing else.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/settings.hpp"

using namespace sillypaste;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::map<std::string, std::string, std::less<>> env;
  std::map<std::string, std::string> flags;
  std::string host_header;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      host_header = std::string(line);  // a line without '=': a Host header to check
      continue;
    }
    const std::string_view name = line.substr(0, eq);
    const std::string value(line.substr(eq + 1));
    if (name.starts_with("--")) {
      flags[std::string(name.substr(2))] = value;
    } else {
      env[std::string(name)] = value;
    }
  }
  const config::EnvLookup lookup = [&env](std::string_view name) -> std::optional<std::string> {
    if (const auto it = env.find(name); it != env.end()) return it->second;
    return std::nullopt;
  };
  try {
    const config::Settings settings = config::load_settings(lookup, flags);
    (void)config::host_allowed(host_header, settings.allowed_hosts);
  } catch (const config::SettingsError&) {
  }
  (void)config::host_without_port(host_header);
  return 0;
}
