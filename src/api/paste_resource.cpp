#include <string>

#include "api/auth.hpp"
#include "api/handlers.hpp"
#include "api/json_io.hpp"
#include "api/pagination.hpp"
#include "api/paste_json.hpp"
#include "core/paste_builder.hpp"
#include "core/permissions.hpp"
#include "http/form.hpp"
#include "render/language_guess.hpp"
#include "web/new_paste.hpp"
#include "web/rate_limits.hpp"

namespace sillypaste::api {
namespace {

constexpr std::string_view kNoPermission = "You do not have permission to perform this action.";

std::string language_name(const web::Context& ctx, const core::PasteFields& fields) {
  return fields.language_id ? ctx.services.languages.name(*fields.language_id) : std::string();
}

// Burn pastes show their body only to their creator (and staff).
bool body_visible(const web::Context& ctx, const core::Paste& paste) {
  return !paste.burn || core::can_modify(paste, ctx.viewer);
}

std::optional<http::Response> too_large(const web::Context& ctx) {
  const auto max = ctx.services.settings.max_paste_bytes;
  // JSON escaping may grow a body up to six times; the decoded body is checked again.
  if (ctx.request.body.size() > max * 6 + 64 * 1024) {
    return detail(413, "The request body is too large: the paste limit is " + std::to_string(max) +
                           " bytes.");
  }
  return std::nullopt;
}

// A FieldErrors with only an over-the-limit body becomes a 413, as SPEC §3 asks.
std::optional<http::Response> body_over_limit(const web::Context& ctx,
                                              const core::FieldErrors& errors,
                                              const json::object& input) {
  const auto* body = input.if_contains("body");
  if (errors.contains("body") && body != nullptr && body->is_string() &&
      body->as_string().size() > ctx.services.settings.max_paste_bytes) {
    return detail(413, "The paste body is " + std::to_string(body->as_string().size()) +
                           " bytes; the limit is " +
                           std::to_string(ctx.services.settings.max_paste_bytes) + " bytes.");
  }
  return std::nullopt;
}

http::Response create(web::Context& ctx) {
  if (auto refusal = too_large(ctx)) {
    return *refusal;
  }
  auto parsed = read_object(ctx);
  if (auto* response = std::get_if<http::Response>(&parsed)) {
    return *response;
  }
  const auto& input = std::get<json::object>(parsed);
  auto result = read_paste_input(ctx, input, nullptr, false);
  if (auto* errors = std::get_if<core::FieldErrors>(&result)) {
    if (auto refusal = body_over_limit(ctx, *errors, input)) {
      return *refusal;
    }
    return field_errors(*errors);
  }
  auto& fields = std::get<core::PasteFields>(result);
  if (!fields.language_id && !input.contains("language")) {
    if (const auto guess = render::guess_language(fields.title, fields.body)) {
      fields.language_id = ctx.services.languages.find(*guess);
    }
  }
  if (const auto limit = web::count_paste_creation(ctx, ctx.user); !limit.allowed) {
    auto response =
        detail(429, web::try_again_message("Too many pastes created from your address", limit));
    web::add_retry_after(response, limit);
    return response;
  }
  std::optional<core::Id> author;
  if (ctx.logged_in()) {
    author = ctx.user->id;
  }
  core::PasteView created;
  created.language_name = language_name(ctx, fields);
  // The row holds exactly what was built: answered without reading it back.
  if (ctx.logged_in()) {
    created.author_name = ctx.user->username;
    created.author_is_anonymous = ctx.user->is_anonymous;
  }
  return web::create_paste(ctx, fields, author, created.language_name,
                           [created](const web::Context& answering, const core::Paste& paste) {
                             core::PasteView view = created;
                             view.paste = paste;
                             auto response =
                                 json_response(201, paste_object(answering, view, true));
                             response.add_header("Location", answering.origin() + "/api/paste/" +
                                                                 std::to_string(paste.id) + "/");
                             return response;
                           });
}

http::Response list(web::Context& ctx) {
  auto window = read_window(ctx);
  if (auto* response = std::get_if<http::Response>(&window)) {
    return *response;
  }
  const auto& bounds = std::get<Window>(window);
  core::PasteQuery query;
  query.viewer = ctx.viewer;
  query.now = ctx.now;
  query.with_bodies = true;
  query.limit = bounds.limit;
  query.offset = bounds.offset;
  query.search = http::field(ctx.query, "q").value_or("");
  if (const auto language = http::field(ctx.query, "language"); language && !language->empty()) {
    try {
      std::size_t used = 0;
      query.language_id = std::stoll(*language, &used);
      if (used != language->size()) {
        throw std::invalid_argument("trailing characters");
      }
    } catch (const std::exception&) {
      return field_errors({{"language", {"Select a valid choice: a language id is a number."}}});
    }
  }
  if (const auto sort = http::field(ctx.query, "sort"); sort && !sort->empty()) {
    const auto parsed = core::parse_sort(*sort);
    if (!parsed) {
      return field_errors({{"sort",
                            {"Unknown sort key '" + *sort +
                             "': use id, title, timestamp, expiry, hits, size, language or "
                             "author, with '-' for descending."}}});
    }
    query.sort = *parsed;
  }
  const auto page = ctx.store().list_pastes(query);
  json::array results;
  for (const auto& view : page.items) {
    results.push_back(paste_object(ctx, view, body_visible(ctx, view.paste)));
  }
  return json_response(200, page_object(ctx, bounds, page.total, std::move(results)));
}

}  // namespace

http::Response paste_list(web::Context& ctx) {
  if (ctx.request.method == "GET" || ctx.request.method == "HEAD") {
    return list(ctx);
  }
  if (ctx.request.method == "POST") {
    return create(ctx);
  }
  return method_not_allowed(ctx, "GET, POST, HEAD, OPTIONS");
}

http::Response paste_detail(web::Context& ctx, core::Id id) {
  const auto view = ctx.store().paste_by_id(id, ctx.now);
  if (!view || !core::can_view_by_id(view->paste, ctx.viewer)) {
    return detail(404, "Not found.");
  }
  const auto& method = ctx.request.method;
  if (method == "GET" || method == "HEAD") {
    return json_response(200, paste_object(ctx, *view, body_visible(ctx, view->paste)));
  }
  if (method != "PUT" && method != "PATCH" && method != "DELETE") {
    return method_not_allowed(ctx, "GET, PUT, PATCH, DELETE, HEAD, OPTIONS");
  }
  if (!core::can_modify(view->paste, ctx.viewer)) {
    return detail(403, std::string(kNoPermission));
  }
  if (method == "DELETE") {
    (void)ctx.store().delete_paste(id);
    http::Response response;
    response.status = 204;
    response.content_type.clear();
    return response;
  }
  if (auto refusal = too_large(ctx)) {
    return *refusal;
  }
  auto parsed = read_object(ctx);
  if (auto* response = std::get_if<http::Response>(&parsed)) {
    return *response;
  }
  const auto& input = std::get<json::object>(parsed);
  auto result = read_paste_input(ctx, input, &view->paste, method == "PATCH");
  if (auto* errors = std::get_if<core::FieldErrors>(&result)) {
    if (auto refusal = body_over_limit(ctx, *errors, input)) {
      return *refusal;
    }
    return field_errors(*errors);
  }
  const auto& fields = std::get<core::PasteFields>(result);
  core::Paste paste = view->paste;
  core::apply_edit(paste, fields, language_name(ctx, fields));
  (void)ctx.store().update_paste(paste);
  const auto stored = ctx.store().paste_by_id(id, ctx.now);
  if (!stored) {
    return detail(404, "Not found.");
  }
  return json_response(200, paste_object(ctx, *stored, true));
}

http::Response paste_burn(web::Context& ctx, core::Id id) {
  if (ctx.request.method != "POST") {
    return method_not_allowed(ctx, "POST, OPTIONS");
  }
  const auto view = ctx.store().paste_by_id(id, ctx.now);
  if (!view || !core::can_view_by_id(view->paste, ctx.viewer) || !view->paste.burn) {
    return detail(404, "Not found.");
  }
  const auto taken = ctx.store().take_paste(id, ctx.now);
  if (!taken) {
    return detail(404, "Not found.");
  }
  return json_response(200, paste_object(ctx, *taken, true));
}

}  // namespace sillypaste::api
