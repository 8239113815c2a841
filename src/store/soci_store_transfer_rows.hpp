#pragma once

// Whole rows of each table as the transfer code reads and writes them (every column,
// ids included; pastes without body_html and rendered_html). Not part of the interface.

#include <soci/soci.h>

#include <string>

#include "core/model.hpp"
#include "store/bulk_import.hpp"
#include "store/sql_dialect.hpp"

namespace sillypaste::store::transfer_rows {

inline constexpr std::string_view kUserColumns =
    "id, username, password_hash, email, first_name, last_name, is_staff, is_superuser, "
    "is_active, is_anonymous, date_joined, last_login";
inline constexpr std::string_view kTokenColumns = "key, user_id, created";
inline constexpr std::string_view kLanguageColumns = "id, name";
inline constexpr std::string_view kFullPasteColumns =
    "id, title, body, timestamp, expiry, is_private, secret, legacy_id_access, burn, hits, "
    "freeze_hits, size, author_id, language_id";
inline constexpr std::string_view kLogColumns =
    "id, expired_ids, timestamp, user_cutoff, paste_count, reclaimed_space, user_count, "
    "completed";

class UserRow {
 public:
  void bind(soci::statement& st);
  [[nodiscard]] core::User get() const;
  [[nodiscard]] long long id() const { return id_; }

 private:
  long long id_ = 0, date_joined_ = 0, last_login_ = 0;
  int staff_ = 0, superuser_ = 0, active_ = 0, anonymous_ = 0;
  std::string username_, hash_, email_, first_, last_;
  soci::indicator last_login_ind_ = soci::i_null;
};

class TokenRowIn {
 public:
  void bind(soci::statement& st);
  [[nodiscard]] TokenRow get() const { return {key_, user_id_, created_}; }
  [[nodiscard]] long long id() const { return user_id_; }

 private:
  std::string key_;
  long long user_id_ = 0, created_ = 0;
};

class LanguageRow {
 public:
  void bind(soci::statement& st);
  [[nodiscard]] core::Language get() const { return {id_, name_}; }
  [[nodiscard]] long long id() const { return id_; }

 private:
  long long id_ = 0;
  std::string name_;
};

class FullPasteRow {
 public:
  void bind(soci::statement& st);
  [[nodiscard]] core::Paste get() const;
  [[nodiscard]] long long id() const { return id_; }

 private:
  long long id_ = 0, timestamp_ = 0, expiry_ = 0, hits_ = 0, size_ = 0, author_ = 0,
            language_ = 0;
  int private_ = 0, legacy_ = 0, burn_ = 0, freeze_ = 0;
  std::string title_, body_, secret_;
  soci::indicator expiry_ind_ = soci::i_null, secret_ind_ = soci::i_null,
                  author_ind_ = soci::i_null, language_ind_ = soci::i_null;
};

class LogRow {
 public:
  void bind(soci::statement& st);
  [[nodiscard]] core::ExpiryLog get() const;
  [[nodiscard]] long long id() const { return id_; }

 private:
  long long id_ = 0, timestamp_ = 0, cutoff_ = 0, paste_count_ = 0, reclaimed_ = 0,
            user_count_ = 0;
  int completed_ = 0;
  std::string expired_ids_;
  soci::indicator cutoff_ind_ = soci::i_null, expired_ids_ind_ = soci::i_null;
};

// The last id a table handed out (0 when none), and setting it to at least `at_least` and
// the table's largest id. SQLite keeps these in sqlite_sequence; PostgreSQL in the
// column's sequence (setval).
[[nodiscard]] long long read_sequence(soci::session& sql, const SqlDialect& dialect,
                                      const std::string& table);
void set_sequence(soci::session& sql, const SqlDialect& dialect, const std::string& table,
                  long long at_least);

}  // namespace sillypaste::store::transfer_rows
