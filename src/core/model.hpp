#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace sillypaste::core {

using Id = std::int64_t;

struct Paste {
  Id id = 0;
  std::string title;
  std::string body;
  Micros timestamp = 0;
  std::optional<Micros> expiry;
  bool is_private = false;
  // Slug of the secret link /s/<secret>/; empty for public pastes.
  std::string secret;
  // Private pastes imported from the Django app stay reachable by /<id>/.
  bool legacy_id_access = false;
  bool burn = false;
  std::int64_t hits = 0;
  bool freeze_hits = false;
  std::int64_t size = 0;
  std::optional<Id> author_id;
  std::optional<Id> language_id;
  // Highlighted body (render::highlight_html(): the HTML of each line, joined by "\n"),
  // made when the paste is written; the page numbers the lines (render/numbered_lines).
  std::string body_html;
  // Markdown or Org rendered to sanitised HTML, made when the paste is written.
  std::optional<std::string> rendered_html;
};

// A paste as listings and pages show it: with its author's and language's names.
struct PasteView {
  Paste paste;
  std::string author_name;      // empty when there is no author
  bool author_is_anonymous = false;
  std::string language_name;    // empty when there is no language
};

struct User {
  Id id = 0;
  std::string username;
  std::string password_hash;
  std::string email;
  std::string first_name;
  std::string last_name;
  bool is_staff = false;
  bool is_superuser = false;
  bool is_active = true;
  // An anonymous session user: made for a visitor who pasted without an account.
  bool is_anonymous = false;
  Micros date_joined = 0;
  std::optional<Micros> last_login;
};

struct Language {
  Id id = 0;
  std::string name;
};

struct ExpiryLog {
  Id id = 0;
  std::string expired_ids;  // comma-separated paste ids
  Micros timestamp = 0;
  std::optional<Micros> user_cutoff;
  std::int64_t paste_count = 0;
  std::int64_t reclaimed_space = 0;
  std::int64_t user_count = 0;
  bool completed = false;
};

struct Session {
  std::string id;
  std::optional<Id> user_id;
  Micros created = 0;
  Micros expires = 0;
};

struct UserQuery {
  std::string search;              // case-insensitive match on the username
  bool include_anonymous = false;  // anonymous session users too
  int limit = 50;
  int offset = 0;
};

struct UserPage {
  std::vector<User> items;  // by id
  std::int64_t total = 0;
};

struct Stats {
  std::int64_t paste_count = 0;
  std::int64_t paste_bytes = 0;
  std::optional<ExpiryLog> last_expiry;
  std::int64_t total_expired = 0;
  std::int64_t total_reclaimed = 0;
  std::int64_t total_users_pruned = 0;
  std::int64_t anonymous_users = 0;
  std::int64_t registered_users = 0;
};

}  // namespace sillypaste::core
