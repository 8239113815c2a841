#include <iostream>

#include "cli/commands.hpp"
#include "cli/password_input.hpp"
#include "core/password_hash.hpp"
#include "core/password_policy.hpp"
#include "core/time.hpp"
#include "core/username_policy.hpp"

namespace sillypaste::cli {
namespace {

int already_exists(const std::string& username) {
  std::cerr << "sillypaste: error: a user named '" << username << "' already exists\n";
  return 2;
}

}  // namespace

int createsuperuser(const config::Settings& settings, const std::string& username,
                    bool password_stdin) {
  if (report_problems(core::username_problems(username))) {
    return 2;
  }
  auto store = store::open_store(settings.database_url, settings.db_pool_size);
  store->migrate();
  if (store->user_by_username(username)) {
    return already_exists(username);
  }
  const auto password = read_new_password(password_stdin);
  if (!password) {
    return 2;
  }
  if (report_problems(core::password_problems(*password, username))) {
    return 2;
  }
  core::User user;
  user.username = username;
  user.password_hash = core::hash_password(*password);
  user.is_staff = true;
  user.is_superuser = true;
  user.is_active = true;
  user.date_joined = core::now_micros();
  try {
    store->create_user(user);
  } catch (const store::DuplicateUsername&) {
    return already_exists(username);
  }
  std::cout << "Superuser '" << username << "' created.\n";
  return 0;
}

}  // namespace sillypaste::cli
