#include "store/migration_files.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "store/migrations.hpp"
#include "store/store.hpp"

namespace sillypaste::store {
namespace {

[[nodiscard]] bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

std::vector<Migration> migrations_for(std::string_view dialect) {
  const std::string prefix = std::string(dialect) + "/";
  std::vector<Migration> found;
  for (const auto& [name, sql] : migrations::embedded_files()) {
    if (!name.starts_with(prefix) || !name.ends_with(".sql")) {
      continue;
    }
    const std::string_view file = std::string_view(name).substr(prefix.size());
    int version = 0;
    const auto [end, error] = std::from_chars(file.data(), file.data() + file.size(), version);
    if (error != std::errc{} || end == file.data() || version <= 0) {
      throw StoreError("migration file name does not start with a version number: " + name);
    }
    found.push_back({version, name, sql});
  }
  std::sort(found.begin(), found.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < found.size(); ++i) {
    if (found[i].version == found[i - 1].version) {
      throw StoreError("two migrations share a version: " + found[i - 1].name + " and " +
                       found[i].name);
    }
  }
  return found;
}

std::vector<std::string> split_sql_statements(std::string_view sql) {
  std::vector<std::string> statements;
  std::string current;
  // Words seen in the current statement, whether it is CREATE [TEMP] TRIGGER, and how deep
  // inside its BEGIN ... END body (CASE ... END nests there) the scan is.
  int words = 0;
  bool create = false, trigger = false;
  int depth = 0;
  auto flush = [&] {
    if (!is_blank(current)) {
      statements.push_back(current);
    }
    current.clear();
    words = 0;
    create = trigger = false;
    depth = 0;
  };
  auto is_word_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  auto upper = [](std::string_view word) {
    std::string result(word);
    for (char& c : result) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return result;
  };
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {  // comment to end of line
      while (i < sql.size() && sql[i] != '\n') {
        ++i;
      }
      current.push_back('\n');
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const auto end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 1;
      current.push_back(' ');
    } else if (c == '\'' || c == '"') {  // quoted text or identifier; doubled quote escapes
      const auto end = sql.find(c, i + 1);
      const auto stop = end == std::string_view::npos ? sql.size() : end + 1;
      current.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (is_word_char(c)) {  // a keyword or name, taken whole
      std::size_t stop = i;
      while (stop < sql.size() && is_word_char(sql[stop])) {
        ++stop;
      }
      const std::string word = upper(sql.substr(i, stop - i));
      current.append(sql.substr(i, stop - i));
      i = stop - 1;
      ++words;
      if (words == 1) {
        create = word == "CREATE";
      } else if (create && words <= 3 && word == "TRIGGER") {
        trigger = true;  // CREATE TRIGGER, CREATE TEMP TRIGGER
      } else if (trigger && (word == "BEGIN" || (depth > 0 && word == "CASE"))) {
        ++depth;
      } else if (depth > 0 && word == "END") {
        --depth;
      }
    } else if (c == ';' && depth == 0) {
      flush();
    } else {
      current.push_back(c);
    }
  }
  flush();
  return statements;
}

}  // namespace sillypaste::store
