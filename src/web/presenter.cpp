#include "web/presenter.hpp"

#include <cstdio>

#include "http/form.hpp"

namespace sillypaste::web {
namespace {

std::string human_size(std::int64_t bytes) {
  if (bytes < 1024) {
    return std::to_string(bytes) + " bytes";
  }
  const double kib = static_cast<double>(bytes) / 1024.0;
  char buffer[32];
  if (kib < 1024.0) {
    std::snprintf(buffer, sizeof buffer, "%.1f KiB", kib);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1f MiB", kib / 1024.0);
  }
  return buffer;
}

}  // namespace

std::string paste_path(const core::Paste& paste) {
  return "/" + std::to_string(paste.id) + "/";
}

std::string share_path(const core::Paste& paste) {
  if (paste.is_private && !paste.secret.empty()) {
    return "/s/" + paste.secret + "/";
  }
  return paste_path(paste);
}

Data paste_summary(const core::PasteView& view) {
  const core::Paste& paste = view.paste;
  Data data;
  data.set("id", std::to_string(paste.id));
  data.set("title", paste.title);
  data.set("path", share_path(paste));
  const bool named = !view.author_name.empty() && !view.author_is_anonymous;
  data.set("author", named ? view.author_name : std::string("Anonymous"));
  if (named) {
    data.set("author_path", "/profile/" + http::encode_query_value(view.author_name) + "/");
  }
  data.set("created", core::format_human(paste.timestamp));
  data.set("created_iso", core::format_iso8601(paste.timestamp));
  if (paste.burn) {
    data.set("expires", std::string("after the first reading"));
  } else if (paste.expiry) {
    data.set("expires", core::format_human(*paste.expiry));
    data.set("expires_iso", core::format_iso8601(*paste.expiry));
  } else {
    data.set("expires", std::string("never"));
  }
  data.set("size", human_size(paste.size));
  data.set("size_bytes", std::to_string(paste.size));
  data.set("hits", std::to_string(paste.hits));
  data.set("language", view.language_name.empty() ? std::string("Plain text") : view.language_name);
  data.set("private", paste.is_private);
  data.set("burn", paste.burn);
  return data;
}

List paste_rows(const std::vector<core::PasteView>& views) {
  List rows;
  for (const auto& view : views) {
    rows.push_back(paste_summary(view));
  }
  return rows;
}

}  // namespace sillypaste::web
