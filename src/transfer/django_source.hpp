#pragma once

// Reading a database of the original Django Sillypaste (SQLite file or PostgreSQL).

#include <soci/soci.h>

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "core/model.hpp"
#include "store/bulk_import.hpp"

namespace sillypaste::transfer {

class DjangoSource {
 public:
  // sqlite:///path, a plain file path, or postgres://… / postgresql://… (libpq URI).
  // Throws store::StoreError when it cannot be opened or is not a Django Sillypaste one.
  explicit DjangoSource(std::string_view url);

  [[nodiscard]] store::TableCounts counts();
  // Last ids handed out for auth_user (users), core_paste (pastes) and core_expirylog
  // (expiry_logs).
  [[nodiscard]] store::TableCounts sequences();
  // core_language: id → Pygments name.
  [[nodiscard]] std::map<core::Id, std::string> languages();
  // Users with is_anonymous set for lazysignup users; pastes with the Django language id
  // in language_id; each table by id, a page at a time.
  void each_user(const std::function<void(const core::User&)>& visit);
  void each_token(const std::function<void(const store::TokenRow&)>& visit);
  void each_paste(const std::function<void(const core::Paste&)>& visit);
  void each_expiry_log(const std::function<void(const core::ExpiryLog&)>& visit);

 private:
  // SQL yielding the column as "YYYY-MM-DD HH:MM:SS[.ffffff]" UTC text.
  [[nodiscard]] std::string time_text(std::string_view column) const;
  [[nodiscard]] long long sequence(const std::string& table);

  soci::session sql_;
  bool postgres_ = false;
};

// Django's stored UTC text ("2024-03-02 07:07:13.037111", maybe with "+00:00") → Micros.
[[nodiscard]] std::optional<core::Micros> parse_django_time(std::string_view text);

}  // namespace sillypaste::transfer
