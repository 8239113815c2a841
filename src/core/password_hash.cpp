#include "core/password_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace sillypaste::core {
namespace {

constexpr std::string_view kArgon2idPrefix = "$argon2id$";
constexpr std::string_view kPbkdf2Prefix = "pbkdf2_sha256$";
constexpr long kMinPbkdf2Iterations = 1;
constexpr long kMaxPbkdf2Iterations = 10'000'000;
constexpr std::size_t kPbkdf2HashBytes = 32;
// Django's salts are 12-22 characters; anything far longer is not one of its hashes.
constexpr std::size_t kMaxPbkdf2SaltBytes = 256;

void ensure_sodium() {
  static const int result = sodium_init();
  if (result < 0) {
    throw std::runtime_error("libsodium could not be initialised");
  }
}

bool verify_argon2id(std::string_view password, std::string_view stored) {
  // libsodium reads a NUL-terminated string of fewer than crypto_pwhash_STRBYTES bytes.
  if (stored.size() >= crypto_pwhash_STRBYTES || stored.find('\0') != std::string_view::npos) {
    return false;
  }
  const std::string terminated(stored);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool argon2id_needs_rehash(std::string_view stored) {
  const std::string terminated(stored);
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

struct Pbkdf2Hash {
  int iterations = 0;
  std::string_view salt;
  std::array<unsigned char, kPbkdf2HashBytes> hash{};
};

// Parses "pbkdf2_sha256$<iterations>$<salt>$<base64 hash>"; false when malformed.
bool parse_pbkdf2(std::string_view stored, Pbkdf2Hash& out) {
  std::string_view rest = stored.substr(kPbkdf2Prefix.size());
  const auto first = rest.find('$');
  if (first == std::string_view::npos) {
    return false;
  }
  const std::string_view iterations = rest.substr(0, first);
  rest.remove_prefix(first + 1);
  const auto second = rest.find('$');
  if (second == std::string_view::npos) {
    return false;
  }
  out.salt = rest.substr(0, second);
  const std::string_view encoded = rest.substr(second + 1);

  if (iterations.empty() || iterations.size() > 9 || iterations.front() < '1' ||
      iterations.front() > '9') {
    return false;
  }
  long count = 0;
  const auto [end, error] =
      std::from_chars(iterations.data(), iterations.data() + iterations.size(), count);
  if (error != std::errc() || end != iterations.data() + iterations.size() ||
      count < kMinPbkdf2Iterations || count > kMaxPbkdf2Iterations) {
    return false;
  }
  out.iterations = static_cast<int>(count);

  if (out.salt.empty() || out.salt.size() > kMaxPbkdf2SaltBytes ||
      out.salt.find('$') != std::string_view::npos || encoded.find('$') != std::string_view::npos ||
      encoded.size() > 64) {
    return false;
  }
  std::size_t decoded = 0;
  if (sodium_base642bin(out.hash.data(), out.hash.size(), encoded.data(), encoded.size(), nullptr,
                        &decoded, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      decoded != kPbkdf2HashBytes) {
    return false;
  }
  return true;
}

bool verify_pbkdf2(std::string_view password, const Pbkdf2Hash& stored) {
  std::array<unsigned char, kPbkdf2HashBytes> computed{};
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(stored.salt.data()),
                        static_cast<int>(stored.salt.size()), stored.iterations, EVP_sha256(),
                        static_cast<int>(computed.size()), computed.data()) != 1) {
    return false;
  }
  return CRYPTO_memcmp(computed.data(), stored.hash.data(), computed.size()) == 0;
}

const std::string& dummy_hash() {
  static const std::string hash = hash_password("sillypaste: no such user");
  return hash;
}

}  // namespace

std::string hash_password(std::string_view password) {
  ensure_sodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return std::string(out.data());
}

PasswordCheck verify_password(std::string_view password, std::string_view stored) {
  ensure_sodium();
  if (stored.starts_with(kArgon2idPrefix)) {
    if (!verify_argon2id(password, stored)) {
      return {};
    }
    return {.ok = true, .needs_upgrade = argon2id_needs_rehash(stored)};
  }
  if (stored.starts_with(kPbkdf2Prefix)) {
    Pbkdf2Hash parsed;
    if (parse_pbkdf2(stored, parsed)) {
      const bool ok = verify_pbkdf2(password, parsed);
      return {.ok = ok, .needs_upgrade = ok};
    }
  }
  burn_password_time(password);
  return {};
}

void burn_password_time(std::string_view password) {
  ensure_sodium();
  const std::string& hash = dummy_hash();
  // The result is meaningless; only the work matters.
  [[maybe_unused]] const int result =
      crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size());
}

}  // namespace sillypaste::core
