#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace sillypaste::web {

namespace static_assets {
// Every file under src/web/static/, by name ("style.css"). Generated at build time.
const std::map<std::string, std::string_view>& embedded_files();
}  // namespace static_assets

struct StaticAsset {
  std::string_view content;
  std::string content_type;
  std::string etag;
  bool fingerprinted = false;  // served under a content-hashed name: cache for a year
  std::string gzipped;         // compressed once at startup; empty when not worth it
};

// The static files, served from memory. Each is reachable by its plain name and by a
// fingerprinted name ("style.3f2a9c1b.css") that pages link, so it can be cached forever.
class StaticAssets {
 public:
  StaticAssets();
  // Null when there is no such file.
  [[nodiscard]] const StaticAsset* find(std::string_view name) const;
  // "/static/style.3f2a9c1b.css" for "style.css".
  [[nodiscard]] std::string url(std::string_view name) const;

 private:
  std::map<std::string, StaticAsset, std::less<>> by_name_;
  std::map<std::string, std::string, std::less<>> fingerprinted_name_;
};

}  // namespace sillypaste::web
