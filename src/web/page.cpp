#include "web/page.hpp"

#include <stdexcept>

#include "api/json_io.hpp"
#include "core/random.hpp"
#include "web/session.hpp"

namespace sillypaste::web {

std::string_view status_reason(unsigned status) {
  switch (status) {
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

namespace {

// Making a CSRF token costs a random number, an HMAC and a cookie, and most pages have
// no form: they are rendered with this stand-in, which only this process knows, and it is
// replaced by the visitor's token only where a page shows it.
const std::string& token_stand_in() {
  static const std::string stand_in = "csrf" + core::random_hex(16);
  return stand_in;
}

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

http::Response page(Context& ctx, std::string_view name, Data data, std::string_view title,
                    unsigned status) {
  const auto& templates = ctx.services.templates;
  Data layout;
  layout.set("title", std::string(title));
  layout.set("stylesheet", ctx.services.assets.url("style.css"));
  layout.set("script", ctx.services.assets.url("app.js"));
  layout.set("favicon", ctx.services.assets.url("favicon.svg"));
  if (ctx.logged_in()) {
    layout.set("username", ctx.user->username);
    layout.set("is_staff", ctx.user->is_staff);
  }
  const bool token_known = !ctx.csrf_token.empty();
  data.set("csrf_token", token_known ? ctx.csrf_token : token_stand_in());
  layout.set("content", templates.render(name, data));
  http::Response response;
  response.status = status;
  response.body = templates.render("base", layout);
  if (!token_known && response.body.find(token_stand_in()) != std::string::npos) {
    replace_all(response.body, token_stand_in(), csrf_token(ctx));
  }
  return response;
}

http::Response page_with_block(Context& ctx, std::string_view name, Data data,
                               std::string_view title, std::string_view html_block) {
  // Everything else a page shows is escaped, so it cannot contain this comment.
  static constexpr std::string_view kMarker = "<!--sillypaste:html_block-->";
  data.set("html_block", std::string(kMarker));
  http::Response response = page(ctx, name, std::move(data), title);
  const auto at = response.body.find(kMarker);
  if (at == std::string::npos) {
    throw std::logic_error("template " + std::string(name) + " has no {{{html_block}}}");
  }
  std::string body;
  body.reserve(response.body.size() - kMarker.size() + html_block.size());
  body.append(response.body, 0, at);
  body.append(html_block);
  body.append(response.body, at + kMarker.size());
  response.body = std::move(body);
  return response;
}

http::Response error_page(Context& ctx, unsigned status, std::string_view message) {
  // Never an HTML page under /api/ (SPEC §7).
  if (ctx.request.path == "/api" || ctx.request.path.starts_with("/api/")) {
    return api::detail(status, message);
  }
  Data data;
  data.set("status", std::to_string(status));
  data.set("reason", std::string(status_reason(status)));
  data.set("message", std::string(message));
  return page(ctx, "error", std::move(data),
              std::to_string(status) + " " + std::string(status_reason(status)), status);
}

http::Response plain(unsigned status, std::string_view line) {
  http::Response response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::string(line) + "\n";
  return response;
}

http::Response redirect(std::string_view location, unsigned status) {
  http::Response response;
  response.status = status;
  response.add_header("Location", std::string(location));
  response.content_type = "text/plain; charset=utf-8";
  return response;
}

}  // namespace sillypaste::web
