#include "core/login.hpp"

#include <algorithm>

#include "core/password_hash.hpp"
#include "core/text.hpp"

namespace sillypaste::core {

LoginResult attempt_login(store::Store& store, LoginThrottle& throttle,
                          const std::string& username, const std::string& password,
                          const std::string& client_address, Micros now) {
  LoginResult result;
  // Names are at most 150 characters: a longer one cannot make the key grow.
  const std::string user_key = "user:" + ascii_lower(username.substr(0, 160));
  const std::string ip_key = "ip:" + address_key(client_address);
  const auto by_user = throttle.check(user_key, now);
  const auto by_address = throttle.check(ip_key, now);
  if (!by_user.allowed || !by_address.allowed) {
    result.outcome = LoginOutcome::kThrottled;
    result.retry_after = std::max(by_user.retry_after, by_address.retry_after);
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
    throttle.record_failure(ip_key, now);
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
