#include <iostream>

#include "cli/commands.hpp"
#include "transfer/django_import.hpp"

namespace sillypaste::cli {
namespace {

[[nodiscard]] std::string describe(const store::TableCounts& c) {
  return std::to_string(c.users) + " users, " + std::to_string(c.tokens) + " tokens, " +
         std::to_string(c.languages) + " languages, " + std::to_string(c.pastes) +
         " pastes, " + std::to_string(c.expiry_logs) + " expiry logs";
}

}  // namespace

int import_django(const config::Settings& settings, const std::string& source_url) {
  transfer::DjangoSource source(source_url);
  auto store = store::open_store(settings.database_url);
  store->migrate();
  auto progress = transfer::Progress::on_stderr("read", source.counts().total());
  transfer::DjangoImportResult result;
  try {
    result = transfer::import_django(source, *store, core::now_micros(), progress);
  } catch (const transfer::ImportConflict& e) {
    std::cerr << "sillypaste: error: " << e.what()
              << "; refusing to overwrite, nothing was imported\n";
    return 2;
  }
  progress.finish(std::cout, " from the Django database");
  if (result.inserted.total() == 0) {
    std::cout << "everything was already imported (" << describe(result.already_present)
              << "); nothing changed\n";
    return 0;
  }
  std::cout << "imported " << describe(result.inserted) << '\n';
  if (result.already_present.total() > 0) {
    std::cout << "already present: " << describe(result.already_present) << '\n';
  }
  if (result.skipped.total() > 0) {
    std::cout << "skipped (already expired): " << describe(result.skipped) << '\n';
  }
  if (result.plain_text_languages > 0) {
    std::cout << result.plain_text_languages
              << " Django languages have no highlighter match and are kept as plain text\n";
  }
  return 0;
}

}  // namespace sillypaste::cli
