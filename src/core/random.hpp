#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace sillypaste::core {

// `bytes` random bytes from the operating system's CSPRNG, as lower-case hex.
[[nodiscard]] std::string random_hex(std::size_t bytes);
// `bytes` random bytes as URL-safe base64 without padding (for secret links).
[[nodiscard]] std::string random_slug(std::size_t bytes);
// Compares in time independent of where the inputs differ.
[[nodiscard]] bool constant_time_equals(std::string_view a, std::string_view b);
// A 32-byte BLAKE2b digest of data (a key for secrets kept in memory).
[[nodiscard]] std::array<unsigned char, 32> blake2b_256(std::string_view data);
// HMAC-SHA256 of message under key, as lower-case hex.
[[nodiscard]] std::string hmac_sha256_hex(std::string_view key, std::string_view message);

}  // namespace sillypaste::core
