#pragma once

#include "config/settings.hpp"
#include "store/store.hpp"

namespace sillypaste::cli {

// Each returns the process exit code.
int serve(const config::Settings& settings);
int prepare(const config::Settings& settings);
int migrate(const config::Settings& settings);
int expire(const config::Settings& settings);
int languages();

// The shared first step of prepare and serve: migrations, the language table, one expiry
// pass. Prints what it did.
void prepare_database(store::Store& store);

// The key that signs sessions and CSRF tokens: the setting, else the one kept in the
// database, else a new one stored there.
[[nodiscard]] std::string secret_key(const config::Settings& settings, store::Store& store);

}  // namespace sillypaste::cli
