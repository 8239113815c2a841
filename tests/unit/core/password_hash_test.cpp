#include "core/password_hash.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sillypaste::core {
namespace {

// python3 -c "import hashlib,base64;
//   print(base64.b64encode(hashlib.pbkdf2_hmac('sha256',b'pw',b'salt',1000)).decode())"
constexpr std::string_view kFastDjangoHash =
    "pbkdf2_sha256$1000$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=";

TEST(PasswordHash, new_hashes_are_argon2id_and_salted) {
  const std::string first = hash_password("Correct-Horse-9");
  const std::string second = hash_password("Correct-Horse-9");
  EXPECT_TRUE(first.starts_with("$argon2id$")) << first;
  EXPECT_NE(first, second);
}

TEST(PasswordHash, argon2id_verifies_right_password_only) {
  const std::string hash = hash_password("Correct-Horse-9");
  const auto right = verify_password("Correct-Horse-9", hash);
  EXPECT_TRUE(right.ok);
  EXPECT_FALSE(right.needs_upgrade);
  EXPECT_FALSE(verify_password("correct-horse-9", hash).ok);
  EXPECT_FALSE(verify_password("", hash).ok);
}

TEST(PasswordHash, django_pbkdf2_verifies_and_needs_upgrade) {
  const auto right = verify_password("pw", kFastDjangoHash);
  EXPECT_TRUE(right.ok);
  EXPECT_TRUE(right.needs_upgrade);
  const auto wrong = verify_password("pw2", kFastDjangoHash);
  EXPECT_FALSE(wrong.ok);
  EXPECT_FALSE(wrong.needs_upgrade);
}

TEST(PasswordHash, django_fixture_hash_verifies) {
  // From /work/shared/fixtures/django-sillypaste/manifest.json (260,000 iterations).
  constexpr std::string_view kFixture =
      "pbkdf2_sha256$260000$whE3geqvIZ1iw6jwvyTzUl$erF341ylHawSuZYXvsLM1dLwtBfxO4Fprf4M97KD3ng=";
  EXPECT_TRUE(verify_password("Al1ce-Fixture!pass", kFixture).ok);
}

TEST(PasswordHash, unusable_and_malformed_hashes_never_verify) {
  const std::string long_salt(1000, 'a');
  const std::string long_hash = std::string(kFastDjangoHash) + std::string(500, 'A');
  const std::string cases[] = {
      "",
      "!",
      "!abcdef",
      "pw",
      "pbkdf2_sha256$",
      "pbkdf2_sha256$1000$salt",
      "pbkdf2_sha256$1000$salt$",
      "pbkdf2_sha256$0$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=",
      "pbkdf2_sha256$-1$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=",
      "pbkdf2_sha256$+1000$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=",
      "pbkdf2_sha256$01000$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=",
      "pbkdf2_sha256$10000001$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=",
      "pbkdf2_sha256$99999999999999999999$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=",
      "pbkdf2_sha256$1000x$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=",
      "pbkdf2_sha256$$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=",
      "pbkdf2_sha256$1000$$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=",
      "pbkdf2_sha256$1000$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4",
      "pbkdf2_sha256$1000$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=$",
      "pbkdf2_sha256$1000$salt$Cjgl!VXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=",
      "pbkdf2_sha256$1000$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHF",
      "pbkdf2_sha256$1000$" + long_salt + "$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=",
      long_hash,
      "pbkdf2_sha1$1000$salt$CjglNVXON/XHKmtwP5loFOvyQfIDrxRuk9zesDHFVn4=",
      "$argon2id$",
      "$argon2id$v=19$m=65536,t=2,p=1$garbage",
      "$argon2id$" + std::string(300, 'x'),
      std::string("$argon2id$v=19\0", 15),
      "!" + std::string(kFastDjangoHash),
  };
  for (const auto& stored : cases) {
    const auto check = verify_password("pw", stored);
    EXPECT_FALSE(check.ok) << stored;
    EXPECT_FALSE(check.needs_upgrade) << stored;
  }
}

TEST(PasswordHash, burn_password_time_does_not_throw) {
  burn_password_time("anything");
  burn_password_time("");
}

}  // namespace
}  // namespace sillypaste::core
