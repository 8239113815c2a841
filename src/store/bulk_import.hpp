#pragma once

// Types of the Store's data-transfer methods (export, import, import-django).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/model.hpp"

namespace sillypaste::store {

struct TokenRow {
  std::string key;
  core::Id user_id = 0;
  core::Micros created = 0;
};

// Rows per table, or (as sequences) the last id each table handed out.
struct TableCounts {
  std::int64_t users = 0;
  std::int64_t tokens = 0;
  std::int64_t languages = 0;
  std::int64_t pastes = 0;
  std::int64_t expiry_logs = 0;

  [[nodiscard]] std::int64_t total() const {
    return users + tokens + languages + pastes + expiry_logs;
  }
  friend bool operator==(const TableCounts&, const TableCounts&) = default;
};

// Receives every row of a database, in dependency order: users, tokens, languages,
// pastes, expiry logs, each by id (tokens by user id). Pastes come without body_html and
// rendered_html.
class RowVisitor {
 public:
  virtual ~RowVisitor() = default;
  // Called once before any row, from the same snapshot.
  virtual void begin(const TableCounts& counts, const TableCounts& sequences) = 0;
  virtual void user(const core::User& user) = 0;
  virtual void token(const TokenRow& token) = 0;
  virtual void language(const core::Language& language) = 0;
  virtual void paste(const core::Paste& paste) = 0;
  virtual void expiry_log(const core::ExpiryLog& log) = 0;
};

// One write transaction for loading rows with their ids. Rolls back unless committed.
// Rows with id 0 get a new id (returned).
class BulkImport {
 public:
  virtual ~BulkImport() = default;
  [[nodiscard]] virtual TableCounts counts() = 0;
  // Deletes every user, token, session, language, paste and expiry log (settings stay).
  virtual void delete_everything() = 0;
  virtual core::Id insert_user(const core::User& user) = 0;
  virtual void insert_token(const TokenRow& token) = 0;
  virtual core::Id insert_language(const core::Language& language) = 0;
  // Writes body_html and rendered_html as given.
  virtual core::Id insert_paste(const core::Paste& paste) = 0;
  virtual core::Id insert_expiry_log(const core::ExpiryLog& log) = 0;
  // Lookups inside the transaction, for imports that must not write a row twice.
  [[nodiscard]] virtual std::optional<core::User> user(core::Id id) = 0;
  [[nodiscard]] virtual std::optional<TokenRow> token(std::string_view key) = 0;
  // Case-insensitive.
  [[nodiscard]] virtual std::optional<core::Language> language(std::string_view name) = 0;
  // Without body_html and rendered_html; expired pastes too.
  [[nodiscard]] virtual std::optional<core::Paste> paste(core::Id id) = 0;
  [[nodiscard]] virtual std::optional<core::ExpiryLog> expiry_log(core::Id id) = 0;
  // Whether a log with this timestamp and expired_ids exists (under any id).
  [[nodiscard]] virtual bool has_expiry_log(core::Micros timestamp,
                                            std::string_view expired_ids) = 0;
  // Sets each table's id sequence to the larger of `at_least` and its largest id, so the
  // next new row gets the next id.
  virtual void set_sequences(const TableCounts& at_least) = 0;
  virtual void commit() = 0;
};

}  // namespace sillypaste::store
