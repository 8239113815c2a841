#pragma once

#include <optional>
#include <string>

#include "core/login_throttle.hpp"
#include "core/model.hpp"
#include "store/store.hpp"

namespace sillypaste::core {

enum class LoginOutcome { kOk, kBadCredentials, kThrottled };

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::kBadCredentials;
  std::optional<User> user;  // set when kOk
  Micros retry_after = 0;    // set when kThrottled
};

// Checks a username and password the same way for the web form and the API: throttled
// per username and per client address, the same time spent whether or not the user
// exists, inactive and anonymous users refused, a Django hash upgraded to Argon2id and
// last_login set on success.
[[nodiscard]] LoginResult attempt_login(store::Store& store, LoginThrottle& throttle,
                                        const std::string& username, const std::string& password,
                                        const std::string& client_address, Micros now);

}  // namespace sillypaste::core
