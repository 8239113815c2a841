#include <CLI/CLI.hpp>

#include <iostream>
#include <map>
#include <string>

#include "cli/commands.hpp"
#include "config/settings.hpp"
#include "store/store.hpp"

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
