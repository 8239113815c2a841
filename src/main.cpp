#include <CLI/CLI.hpp>
#include <malloc.h>

#include <iostream>
#include <map>
#include <string>

#include "cli/commands.hpp"
#include "config/settings.hpp"
#include "store/store.hpp"

#ifdef SILLYPASTE_JEMALLOC
// Read by jemalloc when the process starts. One arena per core instead of four: threads
// on the same core never allocate at the same instant. Freed pages go back to the system
// after a second instead of ten. Under the benchmark's mix of views and creates, peak
// memory is then 60 to 62 MiB against glibc's 49 to 52 (63 to 66 with the ten seconds,
// 69 to 72 with the four arenas; docs/performance.md).
extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): jemalloc's interface
const char* malloc_conf = "percpu_arena:percpu,dirty_decay_ms:1000";
}
#endif

namespace {

using sillypaste::config::setting_infos;

// Registers every setting as a flag of `command`; values land in `flags`.
void add_setting_flags(CLI::App& command, std::map<std::string, std::string>& flags,
                       bool database_only) {
  for (const auto& info : setting_infos()) {
    if (database_only && info.flag != "database-url") {
      continue;
    }
    std::string env_names;
    for (auto name : info.env) {
      env_names += (env_names.empty() ? "" : " or ") + std::string(name);
    }
    command
        .add_option_function<std::string>(
            "--" + std::string(info.flag),
            [&flags, flag = std::string(info.flag)](const std::string& value) {
              flags[flag] = value;
            },
            std::string(info.help) + " [env " + env_names + "]")
        ->type_name("VALUE");
  }
}

}  // namespace

int main(int argc, char** argv) {
#ifndef SILLYPASTE_JEMALLOC
  // glibc gives each busy thread its own heap (up to 8 per core), and memory freed in one
  // is not reused by another: two keep peak memory about a seventh lower under load, at
  // the price of threads waiting for each other's heap (builds with jemalloc do not wait).
  mallopt(M_ARENA_MAX, 2);
#endif
  CLI::App app{"Sillypaste: a fast, self-hosted pastebin."};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("sillypaste ") + SILLYPASTE_VERSION);
  std::map<std::string, std::string> flags;

  auto* serve = app.add_subcommand("serve", "prepare the database, then serve HTTP");
  add_setting_flags(*serve, flags, false);
  auto* prepare = app.add_subcommand(
      "prepare", "apply migrations, sync the language table, run one expiry pass");
  add_setting_flags(*prepare, flags, true);
  auto* migrate = app.add_subcommand("migrate", "apply schema migrations only");
  add_setting_flags(*migrate, flags, true);
  auto* expire = app.add_subcommand("expire", "run one expiry pass and print what it removed");
  add_setting_flags(*expire, flags, true);
  auto* languages = app.add_subcommand("languages", "list the languages the highlighter knows");

  std::string redirect_to;
  std::map<std::string, std::string> redirect_flags;
  auto* redirect = app.add_subcommand(
      "redirect", "serve only a 301 of every request to URL + the same path and query");
  redirect->add_option("--to", redirect_to, "absolute http(s) URL to redirect to")
      ->required()
      ->type_name("URL");
  redirect->add_option_function<std::string>(
      "--bind", [&](const std::string& v) { redirect_flags["bind"] = v; },
      "listen address host:port (default 127.0.0.1:8000) [env SILLYPASTE_BIND]")
      ->type_name("VALUE");
  redirect->add_option_function<std::string>(
      "--port", [&](const std::string& v) { redirect_flags["port"] = v; },
      "listen port, when --bind is not given [env PORT]")
      ->type_name("VALUE");

  std::string account_username;
  bool password_stdin = false;
  auto* createsuperuser = app.add_subcommand(
      "createsuperuser", "create a staff superuser (password prompted or --password-stdin)");
  createsuperuser->add_option("--username", account_username, "the new user's name")
      ->required()
      ->type_name("NAME");
  createsuperuser->add_flag("--password-stdin", password_stdin,
                            "read the password from the first line of standard input");
  add_setting_flags(*createsuperuser, flags, true);
  auto* changepassword = app.add_subcommand("changepassword", "set a user's password");
  changepassword->add_option("username", account_username, "the user's name")
      ->required()
      ->type_name("NAME");
  changepassword->add_flag("--password-stdin", password_stdin,
                           "read the password from the first line of standard input");
  add_setting_flags(*changepassword, flags, true);

  std::string transfer_file, django_url;
  bool import_force = false;
  auto* export_cmd = app.add_subcommand("export", "write every row as a portable dump");
  export_cmd->add_option("file", transfer_file, "where to write (- or absent: stdout)")
      ->type_name("FILE");
  add_setting_flags(*export_cmd, flags, true);
  auto* import_cmd =
      app.add_subcommand("import", "load a dump into an empty database, keeping ids");
  import_cmd->add_option("file", transfer_file, "what to read (- or absent: stdin)")
      ->type_name("FILE");
  import_cmd->add_flag("--force", import_force,
                       "delete everything in the database first when it is not empty");
  add_setting_flags(*import_cmd, flags, true);
  auto* import_django_cmd = app.add_subcommand(
      "import-django", "import a database of the original Django Sillypaste");
  import_django_cmd
      ->add_option("url", django_url,
                   "its SQLite file (path or sqlite:///path) or PostgreSQL URL (postgres://...)")
      ->required()
      ->type_name("URL");
  add_setting_flags(*import_django_cmd, flags, true);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "sillypaste: " << e.what() << "\nRun 'sillypaste --help' for usage.\n";
    return 2;
  }

  if (app.get_subcommands().empty()) {
    std::cout << app.help();
    return 0;
  }

  try {
    if (languages->parsed()) {
      return sillypaste::cli::languages();
    }
    if (redirect->parsed()) {
      return sillypaste::cli::redirect(redirect_to, sillypaste::config::process_environment(),
                                       redirect_flags);
    }
    const auto settings =
        sillypaste::config::load_settings(sillypaste::config::process_environment(), flags);
    if (serve->parsed()) return sillypaste::cli::serve(settings);
    if (prepare->parsed()) return sillypaste::cli::prepare(settings);
    if (migrate->parsed()) return sillypaste::cli::migrate(settings);
    if (expire->parsed()) return sillypaste::cli::expire(settings);
    if (createsuperuser->parsed()) {
      return sillypaste::cli::createsuperuser(settings, account_username, password_stdin);
    }
    if (changepassword->parsed()) {
      return sillypaste::cli::changepassword(settings, account_username, password_stdin);
    }
    if (export_cmd->parsed()) return sillypaste::cli::export_dump(settings, transfer_file);
    if (import_cmd->parsed()) {
      return sillypaste::cli::import_dump(settings, transfer_file, import_force);
    }
    if (import_django_cmd->parsed()) return sillypaste::cli::import_django(settings, django_url);
  } catch (const sillypaste::config::SettingsError& e) {
    std::cerr << "sillypaste: " << e.what() << '\n';
    return 2;
  } catch (const sillypaste::store::StoreError& e) {
    std::cerr << "sillypaste: database error: " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "sillypaste: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
