#include <fstream>
#include <iostream>
#include <map>

#include "cli/commands.hpp"
#include "render/rendered_paste.hpp"
#include "transfer/dump_format.hpp"
#include "transfer/progress.hpp"

namespace sillypaste::cli {
namespace {

// Loads every row of the dump through `bulk`; throws DumpError naming the line at fault.
void load_rows(transfer::DumpReader& reader, store::BulkImport& bulk,
               transfer::Progress& progress) {
  std::map<core::Id, std::string> language_names;  // one entry per language, not per paste
  while (auto row = reader.next()) {
    try {
      std::visit(
          [&](auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, core::User>) {
              bulk.insert_user(value);
            } else if constexpr (std::is_same_v<T, store::TokenRow>) {
              bulk.insert_token(value);
            } else if constexpr (std::is_same_v<T, core::Language>) {
              bulk.insert_language(value);
              language_names[value.id] = value.name;
            } else if constexpr (std::is_same_v<T, core::Paste>) {
              std::string language;
              if (value.language_id) {
                const auto found = language_names.find(*value.language_id);
                if (found == language_names.end()) {
                  throw transfer::DumpError(reader.line(),
                                            "paste " + std::to_string(value.id) +
                                                " names language " +
                                                std::to_string(*value.language_id) +
                                                ", which no earlier line defines");
                }
                language = found->second;
              }
              auto rendered = render::render_paste(value.body, language);
              value.body_html = std::move(rendered.body_html);
              value.rendered_html = std::move(rendered.rendered_html);
              bulk.insert_paste(value);
            } else {
              bulk.insert_expiry_log(value);
            }
          },
          *row);
    } catch (const store::StoreError& e) {
      throw transfer::DumpError(reader.line(), e.what());
    }
    progress.tick();
  }
}

int import_from(store::Store& store, std::istream& in, bool force) {
  transfer::DumpReader reader(in);
  const auto header = reader.read_header();
  auto bulk = store.begin_import();
  const auto existing = bulk->counts();
  if ((existing.users > 0 || existing.pastes > 0) && !force) {
    std::cerr << "sillypaste: error: the database is not empty (" << existing.users
              << " users, " << existing.pastes
              << " pastes); import only loads into an empty one, or use --force to delete "
                 "everything in it first\n";
    return 2;
  }
  // Languages and expiry logs alone (what prepare and serve write) do not count as data.
  bulk->delete_everything();
  auto progress = transfer::Progress::on_stderr("imported", header.counts.total());
  load_rows(reader, *bulk, progress);
  bulk->set_sequences(header.sequences);
  bulk->commit();
  const auto& n = reader.rows_read();
  progress.finish(std::cout, " (" + std::to_string(n.users) + " users, " +
                                 std::to_string(n.tokens) + " tokens, " +
                                 std::to_string(n.languages) + " languages, " +
                                 std::to_string(n.pastes) + " pastes, " +
                                 std::to_string(n.expiry_logs) + " expiry logs)");
  return 0;
}

}  // namespace

int import_dump(const config::Settings& settings, const std::string& file, bool force) {
  std::ifstream file_in;
  if (!file.empty() && file != "-") {
    file_in.open(file, std::ios::binary);
    if (!file_in) {
      std::cerr << "sillypaste: error: cannot open " << file << '\n';
      return 2;
    }
  }
  std::istream& in = file_in.is_open() ? static_cast<std::istream&>(file_in) : std::cin;
  auto store = store::open_store(settings.database_url);
  store->migrate();  // but no language sync: the dump brings its languages with their ids
  try {
    return import_from(*store, in, force);
  } catch (const transfer::DumpError& e) {
    std::cerr << "sillypaste: error: " << (file.empty() ? std::string("-") : file) << ": "
              << e.what() << "; nothing was imported\n";
    return 2;
  }
}

}  // namespace sillypaste::cli
