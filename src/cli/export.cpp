#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "core/time.hpp"
#include "transfer/dump_format.hpp"
#include "transfer/progress.hpp"

namespace sillypaste::cli {
namespace {

// The header's time: SOURCE_DATE_EPOCH (seconds) when set, for reproducible dumps.
[[nodiscard]] core::Micros dump_created_time() {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    char* end = nullptr;
    const long long seconds = std::strtoll(epoch, &end, 10);
    if (end != nullptr && *end == '\0' && seconds >= 0) {
      return seconds * core::kMicrosPerSecond;
    }
  }
  return core::now_micros();
}

void write_dump(store::Store& store, std::ostream& out) {
  auto progress = transfer::Progress::on_stderr("exported", 0);
  transfer::DumpWriter writer(out, dump_created_time(), [&] { progress.tick(); });
  // The total is known once the store has counted the rows (begin()).
  struct Counting final : store::RowVisitor {
    transfer::DumpWriter& writer;
    transfer::Progress& progress;
    Counting(transfer::DumpWriter& w, transfer::Progress& p) : writer(w), progress(p) {}
    void begin(const store::TableCounts& counts, const store::TableCounts& sequences) override {
      progress.set_total(counts.total());
      writer.begin(counts, sequences);
    }
    void user(const core::User& row) override { writer.user(row); }
    void token(const store::TokenRow& row) override { writer.token(row); }
    void language(const core::Language& row) override { writer.language(row); }
    void paste(const core::Paste& row) override { writer.paste(row); }
    void expiry_log(const core::ExpiryLog& row) override { writer.expiry_log(row); }
  } counting(writer, progress);
  store.export_rows(counting);
  writer.finish();
  const auto& n = writer.written();
  progress.finish(std::cerr, " (" + std::to_string(n.users) + " users, " +
                                 std::to_string(n.tokens) + " tokens, " +
                                 std::to_string(n.languages) + " languages, " +
                                 std::to_string(n.pastes) + " pastes, " +
                                 std::to_string(n.expiry_logs) + " expiry logs)");
}

}  // namespace

int export_dump(const config::Settings& settings, const std::string& file) {
  auto store = store::open_store(settings.database_url);
  store->migrate();
  if (file.empty() || file == "-") {
    std::ios::sync_with_stdio(false);
    write_dump(*store, std::cout);
    return 0;
  }
  // Written beside the target and renamed at the end: FILE is never half a dump.
  const std::string partial = file + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) {
      std::cerr << "sillypaste: error: cannot write " << partial << '\n';
      return 1;
    }
    try {
      write_dump(*store, out);
    } catch (...) {
      std::remove(partial.c_str());
      throw;
    }
  }
  std::error_code ec;
  std::filesystem::rename(partial, file, ec);
  if (ec) {
    std::cerr << "sillypaste: error: cannot rename " << partial << " to " << file << ": "
              << ec.message() << '\n';
    return 1;
  }
  return 0;
}

}  // namespace sillypaste::cli
