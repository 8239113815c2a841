#include <iostream>

#include "cli/commands.hpp"
#include "core/random.hpp"
#include "jobs/expiry.hpp"
#include "render/highlight.hpp"

namespace sillypaste::cli {

void prepare_database(store::Store& store) {
  const int applied = store.migrate();
  std::cout << "migrations: " << applied << " applied, schema version " << store.schema_version()
            << '\n';
  auto names = render::highlighter_languages();
  names.emplace_back("markdown");
  names.emplace_back("org-mode");
  const int added = store.sync_languages(names);
  std::cout << "languages: " << added << " added\n";
  try {
    const auto result = jobs::run_expiry(store, core::now_micros());
    std::cout << "expiry: removed " << result.expired_paste_ids.size() << " pastes and "
              << result.users_pruned << " anonymous users\n"
              << std::flush;
  } catch (const store::StorageFull& error) {
    // A server restarted on a full disk still serves reads; the timer retries the pass.
    std::cerr << "sillypaste: warning: expiry pass skipped, the disk is full: " << error.what()
              << '\n';
  }
}

std::string secret_key(const config::Settings& settings, store::Store& store) {
  if (settings.secret_key) {
    return *settings.secret_key;
  }
  if (auto stored = store.setting("secret_key")) {
    return *stored;
  }
  const std::string key = core::random_hex(32);
  store.set_setting("secret_key", key);
  return key;
}

int prepare(const config::Settings& settings) {
  auto store = store::open_store(settings.database_url, settings.db_pool_size);
  prepare_database(*store);
  return 0;
}

int migrate(const config::Settings& settings) {
  auto store = store::open_store(settings.database_url, settings.db_pool_size);
  const int applied = store->migrate();
  std::cout << "migrations: " << applied << " applied, schema version " << store->schema_version()
            << '\n';
  return 0;
}

int expire(const config::Settings& settings) {
  auto store = store::open_store(settings.database_url, settings.db_pool_size);
  store->migrate();
  const auto result = jobs::run_expiry(*store, core::now_micros());
  // The summary first, then one id per line, so a pass of 100,000 pastes is not one line
  // and the ids can be counted or grepped.
  std::cout << "removed " << result.expired_paste_ids.size() << " pastes, " << result.users_pruned
            << " anonymous users, reclaimed " << result.reclaimed_bytes << " bytes\n";
  if (!result.expired_paste_ids.empty()) {
    std::cout << "expired paste ids:\n";
    for (const auto id : result.expired_paste_ids) {
      std::cout << id << '\n';
    }
  }
  std::cout << std::flush;
  return 0;
}

int languages() {
  auto names = render::highlighter_languages();
  names.emplace_back("markdown");
  names.emplace_back("org-mode");
  for (const auto& name : names) {
    std::cout << name << '\n';
  }
  return 0;
}

}  // namespace sillypaste::cli
