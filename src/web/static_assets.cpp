#include "web/static_assets.hpp"

#include "web/http_cache.hpp"

namespace sillypaste::web {
namespace {

std::string content_type_for(std::string_view name) {
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  if (name.ends_with(".png")) return "image/png";
  if (name.ends_with(".ico")) return "image/x-icon";
  if (name.ends_with(".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

// The first 10 hex digits of the content's ETag: a name for cache busting.
std::string fingerprint(std::string_view content) { return etag_of(content).substr(1, 10); }

}  // namespace

StaticAssets::StaticAssets() {
  for (const auto& [name, content] : static_assets::embedded_files()) {
    const std::string print = fingerprint(content);
    const auto dot = name.rfind('.');
    const std::string hashed = dot == std::string::npos
                                   ? name + "." + print
                                   : name.substr(0, dot) + "." + print + name.substr(dot);
    StaticAsset asset{content, content_type_for(name), "\"" + print + "\"", false, {}};
    if (content.size() >= 512 && !name.ends_with(".png") && !name.ends_with(".ico")) {
      if (auto compressed = gzip(content, 9); compressed.size() < content.size()) {
        asset.gzipped = std::move(compressed);
      }
    }
    by_name_.emplace(name, asset);
    asset.fingerprinted = true;
    by_name_.emplace(hashed, asset);
    fingerprinted_name_.emplace(name, hashed);
  }
}

const StaticAsset* StaticAssets::find(std::string_view name) const {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &it->second;
}

std::string StaticAssets::url(std::string_view name) const {
  const auto it = fingerprinted_name_.find(name);
  return "/static/" + (it == fingerprinted_name_.end() ? std::string(name) : it->second);
}

}  // namespace sillypaste::web
