#include "core/login.hpp"

#include "core/password_hash.hpp"
#include "core/text.hpp"

namespace sillypaste::core {

LoginResult attempt_login(store::Store& store, LoginThrottle& throttle,
                          const std::string& username, const std::string& password,
                          const std::string& client_address, Micros now) {
  LoginResult result;
  const std::string user_key = "user:" + ascii_lower(username);
  const std::string address_key = "ip:" + client_address;
  if (throttle.blocked(user_key, now) || throttle.blocked(address_key, now)) {
    result.outcome = LoginOutcome::kThrottled;
    return result;
  }
  auto user = store.user_by_username(username);
  bool ok = false;
  if (user && !user->is_anonymous) {
    const auto check = verify_password(password, user->password_hash);
    ok = check.ok && user->is_active;
    if (ok && check.needs_upgrade) {
      user->password_hash = hash_password(password);
    }
  } else {
    burn_password_time(password);
  }
  if (!ok) {
    throttle.record_failure(user_key, now);
    throttle.record_failure(address_key, now);
    return result;
  }
  throttle.reset(user_key);
  user->last_login = now;
  store.update_user(*user);
  result.outcome = LoginOutcome::kOk;
  result.user = std::move(user);
  return result;
}

}  // namespace sillypaste::core
