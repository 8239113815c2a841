#pragma once

// The sillypaste dump: JSON Lines, described in docs/dump-format.md.

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <variant>

#include "core/model.hpp"
#include "store/bulk_import.hpp"

namespace sillypaste::transfer {

inline constexpr std::string_view kDumpFormat = "sillypaste-dump";
inline constexpr int kDumpVersion = 1;

// A dump that cannot be read; what() is "line N: <what is wrong>".
class DumpError : public std::runtime_error {
 public:
  DumpError(std::int64_t line, const std::string& message)
      : std::runtime_error("line " + std::to_string(line) + ": " + message), line_(line) {}
  [[nodiscard]] std::int64_t line() const { return line_; }

 private:
  std::int64_t line_;
};

// "2024-06-01T08:30:00.000000Z": always six fractional digits.
[[nodiscard]] std::string format_dump_time(core::Micros t);

struct DumpHeader {
  std::string created;
  store::TableCounts counts;
  store::TableCounts sequences;
};

// Writes a dump as rows come; finish() writes the end line. Calls on_row after each row.
class DumpWriter final : public store::RowVisitor {
 public:
  // created: the header's time (normally now).
  DumpWriter(std::ostream& out, core::Micros created, std::function<void()> on_row = {});

  void begin(const store::TableCounts& counts, const store::TableCounts& sequences) override;
  void user(const core::User& user) override;
  void token(const store::TokenRow& token) override;
  void language(const core::Language& language) override;
  void paste(const core::Paste& paste) override;
  void expiry_log(const core::ExpiryLog& log) override;
  // Writes the end line and flushes; throws std::runtime_error when writing failed.
  void finish();
  [[nodiscard]] const store::TableCounts& written() const { return written_; }

 private:
  void write_line(const std::string& line);

  std::ostream& out_;
  core::Micros created_;
  std::function<void()> on_row_;
  store::TableCounts written_;
};

using DumpRow =
    std::variant<core::User, store::TokenRow, core::Language, core::Paste, core::ExpiryLog>;

// Reads a dump line by line. Throws DumpError for anything malformed, including a missing
// end line or counts that do not match it.
class DumpReader {
 public:
  explicit DumpReader(std::istream& in) : in_(in) {}

  // Reads and checks line 1.
  [[nodiscard]] DumpHeader read_header();
  // The next row, or nullopt after a valid end line (and nothing after it).
  [[nodiscard]] std::optional<DumpRow> next();
  // The line number of the row next() returned last.
  [[nodiscard]] std::int64_t line() const { return line_; }
  [[nodiscard]] const store::TableCounts& rows_read() const { return read_; }

 private:
  bool read_line(std::string& line);

  std::istream& in_;
  std::int64_t line_ = 0;
  bool header_read_ = false;
  bool ended_ = false;
  store::TableCounts read_;
};

}  // namespace sillypaste::transfer
