#include "core/expiry_policy.hpp"

namespace sillypaste::core {

std::optional<ExpiryPreset> parse_expiry_preset(std::string_view text) {
  if (text == "never") return ExpiryPreset::kNever;
  if (text == "1hour") return ExpiryPreset::kOneHour;
  if (text == "1day") return ExpiryPreset::kOneDay;
  if (text == "burn") return ExpiryPreset::kBurn;
  if (text == "custom") return ExpiryPreset::kCustom;
  return std::nullopt;
}

std::string_view expiry_preset_name(ExpiryPreset preset) {
  switch (preset) {
    case ExpiryPreset::kNever: return "never";
    case ExpiryPreset::kOneHour: return "1hour";
    case ExpiryPreset::kOneDay: return "1day";
    case ExpiryPreset::kBurn: return "burn";
    case ExpiryPreset::kCustom: return "custom";
  }
  return "1day";
}

std::optional<Micros> expiry_for_preset(ExpiryPreset preset, Micros now) {
  switch (preset) {
    case ExpiryPreset::kOneHour: return now + Micros{3600} * kMicrosPerSecond;
    case ExpiryPreset::kOneDay: return now + Micros{86400} * kMicrosPerSecond;
    case ExpiryPreset::kNever:
    case ExpiryPreset::kBurn:
    case ExpiryPreset::kCustom: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace sillypaste::core
