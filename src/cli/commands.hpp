#pragma once

#include <map>
#include <string>

#include "config/settings.hpp"
#include "store/store.hpp"

namespace sillypaste::cli {

// Each returns the process exit code.
int serve(const config::Settings& settings);
int prepare(const config::Settings& settings);
int migrate(const config::Settings& settings);
int expire(const config::Settings& settings);
int languages();
// Serves only a 301 of every request to `to` + the request's path and query (flags and
// environment give the listen address: bind/SILLYPASTE_BIND, port/PORT). Throws
// config::SettingsError on a bad URL or address.
int redirect(const std::string& to, const config::EnvLookup& env,
             const std::map<std::string, std::string>& flags);
// Creates a staff superuser; the password comes from stdin or a prompt (exit 2 on bad
// input: invalid or taken username, a password breaking the rules).
int createsuperuser(const config::Settings& settings, const std::string& username,
                    bool password_stdin);
// Sets a user's password (same input and rules) and ends their sessions.
int changepassword(const config::Settings& settings, const std::string& username,
                   bool password_stdin);
// Data transfer (docs/dump-format.md). FILE "" or "-" is stdout/stdin. Exit 2 on a
// corrupt dump or a non-empty target without force.
int export_dump(const config::Settings& settings, const std::string& file);
int import_dump(const config::Settings& settings, const std::string& file, bool force);
// Imports a database of the original Django app (sqlite:///path, a plain path, or a
// postgres:// URL); idempotent.
int import_django(const config::Settings& settings, const std::string& source_url);

// The shared first step of prepare and serve: migrations, the language table, one expiry
// pass. Prints what it did.
void prepare_database(store::Store& store);

// The key that signs sessions and CSRF tokens: the setting, else the one kept in the
// database, else a new one stored there.
[[nodiscard]] std::string secret_key(const config::Settings& settings, store::Store& store);

}  // namespace sillypaste::cli
