#include <charconv>
#include <optional>
#include <vector>

#include "api/auth.hpp"
#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "web/cached_answer.hpp"
#include "web/page.hpp"

namespace sillypaste::api {
namespace {

enum class Resource {
  kRoot, kLogin, kLogout, kPastes, kPaste, kPasteBurn, kLanguages, kLanguage, kExpiryLogs,
  kUsers, kUser, kMe, kSchema,
};

struct Match {
  Resource resource;
  std::optional<core::Id> id;
};

std::optional<core::Id> parse_id(std::string_view text) {
  core::Id id = 0;
  if (text.empty() || text.size() > 18 || text.front() < '1' || text.front() > '9') {
    return std::nullopt;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return id;
}

// "/api/paste/12/burn/" -> {"paste", "12", "burn"}
std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> parts;
  path.remove_prefix(5);  // "/api/"
  while (!path.empty()) {
    const auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      break;
    }
    path.remove_prefix(slash + 1);
  }
  return parts;
}

std::optional<Match> match(std::string_view path) {
  if (!path.starts_with("/api/") || !path.ends_with('/')) {
    return std::nullopt;
  }
  const auto parts = segments(path);
  if (parts.empty()) {
    return Match{Resource::kRoot, std::nullopt};
  }
  const auto name = parts[0];
  if (parts.size() == 1) {
    if (name == "login") return Match{Resource::kLogin, std::nullopt};
    if (name == "logout") return Match{Resource::kLogout, std::nullopt};
    if (name == "paste") return Match{Resource::kPastes, std::nullopt};
    if (name == "language") return Match{Resource::kLanguages, std::nullopt};
    if (name == "expirylog") return Match{Resource::kExpiryLogs, std::nullopt};
    if (name == "user") return Match{Resource::kUsers, std::nullopt};
    if (name == "schema") return Match{Resource::kSchema, std::nullopt};
    return std::nullopt;
  }
  if (name == "user" && parts.size() == 2 && parts[1] == "me") {
    return Match{Resource::kMe, std::nullopt};
  }
  const auto id = parse_id(parts[1]);
  if (!id) {
    return std::nullopt;
  }
  if (parts.size() == 2) {
    if (name == "paste") return Match{Resource::kPaste, id};
    if (name == "language") return Match{Resource::kLanguage, id};
    if (name == "user") return Match{Resource::kUser, id};
  }
  if (parts.size() == 3 && name == "paste" && parts[2] == "burn") {
    return Match{Resource::kPasteBurn, id};
  }
  return std::nullopt;
}

http::Response dispatch(web::Context& ctx, const Match& m) {
  switch (m.resource) {
    case Resource::kRoot: return root(ctx);
    case Resource::kLogin: return login(ctx);
    case Resource::kLogout: return logout(ctx);
    case Resource::kPastes: return web::cached_answer(ctx, [&] { return paste_list(ctx); });
    case Resource::kPaste: return paste_detail(ctx, *m.id);
    case Resource::kPasteBurn: return paste_burn(ctx, *m.id);
    case Resource::kLanguages: return language_list(ctx);
    case Resource::kLanguage: return language_detail(ctx, *m.id);
    case Resource::kExpiryLogs: return expirylog_list(ctx);
    case Resource::kUsers: return user_list(ctx);
    case Resource::kUser: return user_detail(ctx, m.id);
    case Resource::kMe: return user_detail(ctx, std::nullopt);
    case Resource::kSchema: return schema(ctx);
  }
  return detail(404, "Not found.");
}

}  // namespace

http::Response route(web::Context& ctx) {
  const std::string& path = ctx.request.path;
  const auto found = match(path == "/api" ? std::string("/api/") : path);
  if (!found) {
    if (!path.ends_with('/') && match(path + "/")) {
      return web::redirect(path + "/" + (ctx.request.query.empty() ? "" : "?" + ctx.request.query),
                           301);
    }
    return detail(404, "Not found.");
  }
  if (path == "/api") {
    return web::redirect("/api/" + (ctx.request.query.empty() ? "" : "?" + ctx.request.query), 301);
  }
  std::optional<http::Response> refusal;
  if (found->resource != Resource::kLogin && found->resource != Resource::kSchema) {
    refusal = authenticate(ctx);
  }
  auto response = refusal ? std::move(*refusal) : dispatch(ctx, *found);
  if (response.status == 401) {
    response.add_header("WWW-Authenticate", "Token");
  }
  return response;
}

}  // namespace sillypaste::api
