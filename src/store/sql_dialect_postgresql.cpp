// Everything specific to PostgreSQL lives here and in migrations/postgresql/.
#include <soci/soci.h>

#include <cctype>
#include <string>

#include "store/sql_dialect.hpp"
#include "store/store.hpp"

namespace sillypaste::store {
namespace {

void prepare_postgresql_connection(soci::session& sql) {
  // LIKE ... ESCAPE '\' relies on backslashes being literal in string constants.
  sql << "SET standard_conforming_strings = on";
  sql << "SET client_encoding = 'UTF8'";
}

[[nodiscard]] int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

[[nodiscard]] std::string percent_decode(std::string_view text, std::string_view url) {
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded.push_back(text[i]);
      continue;
    }
    const int high = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
    const int low = high >= 0 ? hex_value(text[i + 2]) : -1;
    if (low < 0) {
      throw StoreError("DATABASE_URL has a bad %-escape: " + std::string(url));
    }
    decoded.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return decoded;
}

// key='value' with \ and ' escaped, as libpq's conninfo parser expects.
void append_parameter(std::string& conninfo, std::string_view key, std::string_view value) {
  if (!conninfo.empty()) {
    conninfo += ' ';
  }
  conninfo.append(key);
  conninfo += "='";
  for (const char c : value) {
    if (c == '\\' || c == '\'') {
      conninfo += '\\';
    }
    conninfo += c;
  }
  conninfo += '\'';
}

[[nodiscard]] bool is_parameter_name(std::string_view key) {
  if (key.empty()) {
    return false;
  }
  for (const char c : key) {
    if (!(std::islower(static_cast<unsigned char>(c)) != 0 || c == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace

const SqlDialect& postgresql_dialect() {
  static const SqlDialect dialect{
      .name = "postgresql",
      .begin_write = "BEGIN",
      .begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ",
      .table_exists =
          "SELECT COUNT(*) FROM information_schema.tables "
          "WHERE table_schema = current_schema() AND table_name = :name",
      // Unicode-aware under a UTF-8 locale; fold_case() agrees on the letters it knows.
      .fold_function = "lower",
      .search_index = SqlDialect::SearchIndex::kPgTrgm,
      // Any fixed key: every write transaction of every process takes it first.
      .lock_writes = "SELECT pg_advisory_xact_lock(5368110435296575)",
      .prepare_connection = &prepare_postgresql_connection,
      .defer_checkpoints = nullptr,
      .checkpoint = nullptr,
  };
  return dialect;
}

// postgres[ql]://[user[:password]@][host][:port][/dbname][?key=value&...]
std::string postgresql_connect_string(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    throw StoreError("DATABASE_URL is not a postgres:// URL");
  }
  std::string_view rest = url.substr(scheme_end + 3);
  std::string_view query;
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view authority = rest;
  std::string_view path;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    path = rest.substr(slash + 1);
  }
  const std::string redacted_url =
      std::string(url.substr(0, scheme_end + 3)) +
      (authority.find('@') == std::string_view::npos ? std::string(rest)
                                                     : "***" + std::string(rest.substr(
                                                                   authority.rfind('@'))));
  if (url.find('#') != std::string_view::npos || path.find('/') != std::string_view::npos) {
    throw StoreError("DATABASE_URL is not a valid postgres:// URL: " + redacted_url);
  }

  std::string conninfo;
  std::string_view hostport = authority;
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    hostport = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    const std::string user = percent_decode(userinfo.substr(0, colon), redacted_url);
    if (!user.empty()) {
      append_parameter(conninfo, "user", user);
    }
    if (colon != std::string_view::npos) {
      append_parameter(conninfo, "password",
                       percent_decode(userinfo.substr(colon + 1), redacted_url));
    }
  }
  std::string_view host = hostport;
  std::string_view port;
  if (hostport.starts_with('[')) {  // [::1]:5432
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) {
      throw StoreError("DATABASE_URL has an unclosed '[': " + redacted_url);
    }
    host = hostport.substr(1, close - 1);
    const std::string_view after = hostport.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) {
      throw StoreError("DATABASE_URL is not a valid postgres:// URL: " + redacted_url);
    }
    port = after.empty() ? after : after.substr(1);
  } else if (const auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
  }
  for (const char c : port) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
      throw StoreError("DATABASE_URL has a bad port: " + redacted_url);
    }
  }
  if (!host.empty()) {
    append_parameter(conninfo, "host", percent_decode(host, redacted_url));
  }
  if (!port.empty()) {
    append_parameter(conninfo, "port", port);
  }
  if (!path.empty()) {
    append_parameter(conninfo, "dbname", percent_decode(path, redacted_url));
  }
  bool has_connect_timeout = false;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (item.empty()) {
      continue;
    }
    const auto eq = item.find('=');
    const std::string_view key = item.substr(0, eq);
    if (eq == std::string_view::npos || !is_parameter_name(key)) {
      throw StoreError("DATABASE_URL has a bad parameter '" + std::string(item) +
                       "': " + redacted_url);
    }
    has_connect_timeout = has_connect_timeout || key == "connect_timeout";
    append_parameter(conninfo, key, percent_decode(item.substr(eq + 1), redacted_url));
  }
  if (!has_connect_timeout) {  // a reconnect must not hang on a host that went away
    append_parameter(conninfo, "connect_timeout", "10");
  }
  return conninfo;
}

}  // namespace sillypaste::store
