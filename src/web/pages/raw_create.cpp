#include <charconv>

#include "api/auth.hpp"
#include "core/expiry_policy.hpp"
#include "core/text.hpp"
#include "render/language_guess.hpp"
#include "web/handlers.hpp"
#include "web/new_paste.hpp"
#include "web/page.hpp"
#include "web/presenter.hpp"
#include "web/rate_limits.hpp"

namespace sillypaste::web {
namespace {

constexpr core::Micros kMaxExpirySeconds = core::Micros{100} * 365 * 24 * 3600;

struct RawParams {
  core::PasteFields fields;
  std::string error;  // set when a parameter is bad
};

RawParams read_params(Context& ctx) {
  RawParams params;
  auto& fields = params.fields;
  const auto& query = ctx.query;

  fields.title = std::string(core::trim(http::field(query, "title").value_or("Untitled")));
  core::FieldErrors errors;
  core::check_title(fields.title, errors);
  if (!errors.empty()) {
    params.error = "bad title: " + errors.begin()->second.front();
    return params;
  }

  if (const auto language = http::field(query, "language"); language && !language->empty()) {
    fields.language_id = ctx.services.languages.find(*language);
    if (!fields.language_id) {
      params.error = "bad language: '" + *language +
                     "' is neither a known language name nor a file extension";
      return params;
    }
  }

  const std::string expiry = http::field(query, "expiry").value_or("1day");
  if (expiry == "burn") {
    fields.burn = true;
  } else if (const auto preset = core::parse_expiry_preset(expiry);
             preset && *preset != core::ExpiryPreset::kCustom) {
    fields.expiry = core::expiry_for_preset(*preset, ctx.now);
  } else {
    long long seconds = 0;
    auto [ptr, ec] = std::from_chars(expiry.data(), expiry.data() + expiry.size(), seconds);
    if (expiry.empty() || ec != std::errc{} || ptr != expiry.data() + expiry.size() ||
        seconds <= 0 || seconds > kMaxExpirySeconds) {
      params.error = "bad expiry: '" + expiry +
                     "'; use never, 1hour, 1day, burn or a positive number of seconds";
      return params;
    }
    fields.expiry = ctx.now + seconds * core::kMicrosPerSecond;
  }

  const std::string is_private = http::field(query, "private").value_or("0");
  if (is_private != "0" && is_private != "1") {
    params.error = "bad private: '" + is_private + "'; use 1 or 0";
    return params;
  }
  fields.is_private = is_private == "1";
  return params;
}

}  // namespace

// POST / : curl --data-binary @file http://host/ (SPEC §9). Cookies are ignored: a raw
// POST can neither act as a logged-in visitor nor need a CSRF token.
http::Response raw_create(Context& ctx) {
  const auto max = ctx.services.settings.max_paste_bytes;
  if (ctx.request.body.size() > max) {
    return plain(413, "The paste is " + std::to_string(ctx.request.body.size()) +
                          " bytes; the limit is " + std::to_string(max) + " bytes.");
  }
  auto params = read_params(ctx);
  if (!params.error.empty()) {
    return plain(400, params.error);
  }
  auto& fields = params.fields;
  fields.body = core::normalize_newlines(ctx.request.body);
  core::FieldErrors errors;
  core::check_body(fields.body, max, errors);
  if (!errors.empty()) {
    return plain(400, "bad body: " + errors.begin()->second.front());
  }
  if (!fields.language_id) {
    if (const auto guess = render::guess_language(fields.title, fields.body)) {
      fields.language_id = ctx.services.languages.find(*guess);
    }
  }
  const std::string language =
      fields.language_id ? ctx.services.languages.name(*fields.language_id) : std::string();
  // Cookies are ignored; an API token may name the author.
  const auto token = api::token_user(ctx);
  if (token.present && !token.user) {
    return plain(401, "Invalid token.");
  }
  if (const auto limit = count_paste_creation(ctx, token.user); !limit.allowed) {
    auto response =
        plain(429, try_again_message("Too many pastes created from your address", limit));
    add_retry_after(response, limit);
    return response;
  }
  std::optional<core::Id> author;
  if (token.user) {
    author = token.user->id;
  }
  return create_paste(
      ctx, fields, author, language, [](const Context& answering, const core::Paste& paste) {
        http::Response response = plain(201, answering.origin() + share_path(paste));
        response.add_header("Location", share_path(paste));
        return response;
      });
}

}  // namespace sillypaste::web
