#pragma once

#include <optional>
#include <string_view>

#include "core/model.hpp"

namespace sillypaste::core {

enum class ExpiryPreset { kNever, kOneHour, kOneDay, kBurn, kCustom };

constexpr ExpiryPreset kDefaultExpiryPreset = ExpiryPreset::kOneDay;
// Anonymous session users whose last visit is older than this are pruned with their pastes.
constexpr Micros kAnonymousUserLifetime = Micros{180} * 24 * 3600 * kMicrosPerSecond;
// ExpiryLog rows kept; older ones are folded into the oldest kept one.
constexpr int kKeepExpiryLogs = 200;

// "never", "1hour", "1day", "burn", "custom"; nullopt for anything else.
[[nodiscard]] std::optional<ExpiryPreset> parse_expiry_preset(std::string_view text);
[[nodiscard]] std::string_view expiry_preset_name(ExpiryPreset preset);

// Expiry time for a preset that needs no date (never and burn give none); not for kCustom.
[[nodiscard]] std::optional<Micros> expiry_for_preset(ExpiryPreset preset, Micros now);

// A paste whose expiry is at or before now is gone, even before an expiry pass removes it.
[[nodiscard]] inline bool is_expired(const Paste& paste, Micros now) {
  return paste.expiry && *paste.expiry <= now;
}

}  // namespace sillypaste::core
