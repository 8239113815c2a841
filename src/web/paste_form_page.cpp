#include "web/paste_form_page.hpp"

#include <array>

#include "render/language_guess.hpp"
#include "web/form_errors.hpp"
#include "web/handlers.hpp"
#include "web/page.hpp"
#include "web/session.hpp"

namespace sillypaste::web {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kPresets{{
    {"1day", "1 day"},
    {"1hour", "1 hour"},
    {"never", "Never"},
    {"burn", "Burn after reading"},
    {"custom", "Custom date and time (UTC)"},
}};

}  // namespace

http::Response render_paste_form(Context& ctx, const PasteFormPage& form) {
  const auto& input = form.input;
  Data data;
  data.set("heading", form.heading);
  data.set("action", form.action);
  data.set("title", input.title);
  data.set("body", input.body);
  std::optional<core::Id> selected;
  try {
    if (!input.language.empty()) {
      selected = std::stoll(input.language);
    }
  } catch (const std::exception&) {
    selected.reset();
  }
  data.set("language_options", ctx.services.languages.options_html(selected));
  const std::string chosen = input.expiry_preset.empty() ? "1day" : input.expiry_preset;
  List presets;
  for (const auto& [value, label] : kPresets) {
    Data preset;
    preset.set("value", std::string(value));
    preset.set("label", std::string(label));
    preset.set("selected", value == chosen);
    presets.push_back(preset);
  }
  data.set("presets", presets);
  data.set("custom_expiry_date", input.custom_expiry_date);
  data.set("custom_expiry_time", input.custom_expiry_time);
  data.set("private", input.is_private);
  data.set("max_bytes", std::to_string(ctx.services.settings.max_paste_bytes));
  set_field_errors(data, form.errors,
                   {"title", "body", "language", "expiry_preset", "custom_expiry_date",
                    "custom_expiry_time"});
  return page(ctx, "paste_form", std::move(data), form.heading);
}

core::PasteFormInput read_paste_form(const http::Fields& fields) {
  core::PasteFormInput input;
  auto get = [&](std::string_view name) { return http::field(fields, name).value_or(""); };
  input.title = get("title");
  input.body = get("body");
  input.language = get("language");
  input.expiry_preset = get("expiry_preset");
  input.custom_expiry_date = get("custom_expiry_date");
  input.custom_expiry_time = get("custom_expiry_time");
  const auto is_private = http::field(fields, "private");
  input.is_private = is_private && (*is_private == "on" || *is_private == "true" ||
                                    *is_private == "1");
  return input;
}

PostedForm read_posted_form(Context& ctx) {
  PostedForm posted;
  auto parsed = http::parse_form(ctx.request.body);
  if (!parsed.ok()) {
    posted.refusal = error_page(
        ctx, 400, "The form data could not be decoded: " + http::describe(parsed.error) + ".");
    return posted;
  }
  const auto& fields = parsed.fields;
  if (!csrf_valid(ctx, fields)) {
    posted.refusal = error_page(ctx, 403,
                                "CSRF verification failed: the form's security token is missing "
                                "or does not match your cookie. Reload the form and try again.");
    return posted;
  }
  if (const auto body = http::field(fields, "body");
      body && body->size() > ctx.services.settings.max_paste_bytes) {
    posted.refusal =
        error_page(ctx, 413,
                   "The paste is " + std::to_string(body->size()) + " bytes; the limit is " +
                       std::to_string(ctx.services.settings.max_paste_bytes) + " bytes.");
    return posted;
  }
  posted.fields = std::move(parsed.fields);
  return posted;
}

http::Response serve_paste_form(Context& ctx, PasteFormPage form, const SavePaste& save) {
  if (ctx.request.method == "GET" || ctx.request.method == "HEAD") {
    return render_paste_form(ctx, form);
  }
  if (ctx.request.method != "POST") {
    return method_not_allowed(ctx, "GET, HEAD, POST");
  }
  auto posted = read_posted_form(ctx);
  if (!posted.fields) {
    return posted.refusal;
  }
  form.input = read_paste_form(*posted.fields);
  auto result = validate_with_guess(ctx, form.input);
  if (!result.fields) {
    form.errors = std::move(result.errors);
    return render_paste_form(ctx, form);
  }
  const auto& fields = *result.fields;
  return save(fields, fields.language_id ? ctx.services.languages.name(*fields.language_id)
                                         : std::string());
}

core::PasteFormResult validate_with_guess(Context& ctx, const core::PasteFormInput& input) {
  core::PasteFormLimits limits;
  limits.max_body_bytes = ctx.services.settings.max_paste_bytes;
  limits.now = ctx.now;
  const auto& languages = ctx.services.languages;
  limits.language_exists = [&languages](core::Id id) { return languages.contains(id); };
  auto result = core::validate_paste_form(input, limits);
  if (result.fields && !result.fields->language_id) {
    if (const auto guess = render::guess_language(result.fields->title, result.fields->body)) {
      result.fields->language_id = languages.find(*guess);
    }
  }
  return result;
}

}  // namespace sillypaste::web
