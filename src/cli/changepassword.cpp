#include <iostream>

#include "cli/commands.hpp"
#include "cli/password_input.hpp"
#include "core/password_hash.hpp"
#include "core/password_policy.hpp"

namespace sillypaste::cli {

int changepassword(const config::Settings& settings, const std::string& username,
                   bool password_stdin) {
  auto store = store::open_store(settings.database_url, settings.db_pool_size);
  store->migrate();
  auto user = store->user_by_username(username);
  if (!user) {
    std::cerr << "sillypaste: error: no user named '" << username << "'\n";
    return 2;
  }
  const auto password = read_new_password(password_stdin);
  if (!password) {
    return 2;
  }
  if (report_problems(core::password_problems(*password, user->username))) {
    return 2;
  }
  user->password_hash = core::hash_password(*password);
  store->update_user(*user);
  // A new password ends every session signed in with the old one.
  store->delete_user_sessions(user->id, "");
  std::cout << "Password changed for '" << user->username << "'.\n";
  return 0;
}

}  // namespace sillypaste::cli
