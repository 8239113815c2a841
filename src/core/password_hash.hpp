#pragma once

#include <string>
#include <string_view>

namespace sillypaste::core {

struct PasswordCheck {
  bool ok = false;
  // The password was right but the stored hash is not current Argon2id: store a new one.
  bool needs_upgrade = false;
};

// A new Argon2id hash ("$argon2id$...") of `password` (libsodium, interactive limits).
// Throws std::runtime_error when libsodium cannot initialise or allocate.
[[nodiscard]] std::string hash_password(std::string_view password);

// Checks `password` against a stored hash: Argon2id, or Django's
// "pbkdf2_sha256$<iterations>$<salt>$<base64 hash>" (always needs_upgrade). Unusable
// ("!..." or empty) and malformed hashes never verify; checking them costs as much as a
// wrong password against Argon2id, so an account's state does not show in the timing.
[[nodiscard]] PasswordCheck verify_password(std::string_view password, std::string_view stored);

// Costs what a failed check against a real Argon2id hash costs. Login calls it when no
// such user exists, so failures take the same time either way.
void burn_password_time(std::string_view password);

}  // namespace sillypaste::core
