#include "api/paste_json.hpp"

#include <charconv>

#include "core/text.hpp"
#include "web/presenter.hpp"

namespace sillypaste::api {
namespace {

constexpr std::string_view kNotString = "Not a valid string.";
constexpr std::string_view kNotBoolean = "Must be a valid boolean.";
constexpr std::string_view kRequired = "This field is required.";

std::optional<bool> as_bool(const json::value& value) {
  if (value.is_bool()) {
    return value.as_bool();
  }
  if (value.is_int64() && (value.as_int64() == 0 || value.as_int64() == 1)) {
    return value.as_int64() == 1;
  }
  if (value.is_string()) {
    const std::string text = core::ascii_lower(std::string_view(value.as_string()));
    if (text == "true" || text == "1" || text == "on" || text == "yes") return true;
    if (text == "false" || text == "0" || text == "off" || text == "no") return false;
  }
  return std::nullopt;
}

// A language id: a JSON integer or a string of digits.
std::optional<core::Id> as_id(const json::value& value) {
  if (value.is_int64()) {
    return value.as_int64();
  }
  if (value.is_uint64() && value.as_uint64() < (1ULL << 62)) {
    return static_cast<core::Id>(value.as_uint64());
  }
  if (value.is_string()) {
    const std::string_view text = value.as_string();
    core::Id id = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (!text.empty() && ec == std::errc{} && ptr == text.data() + text.size()) {
      return id;
    }
  }
  return std::nullopt;
}

void read_text(const json::object& input, std::string_view name, std::string& target,
               bool required, core::FieldErrors& errors) {
  const auto* value = input.if_contains(name);
  if (value == nullptr) {
    if (required) {
      errors[std::string(name)].emplace_back(kRequired);
    }
    return;
  }
  if (!value->is_string()) {
    errors[std::string(name)].emplace_back(value->is_null() ? "This field may not be null."
                                                            : std::string(kNotString));
    return;
  }
  target = std::string(value->as_string());
}

void read_bool(const json::object& input, std::string_view name, bool& target,
               core::FieldErrors& errors) {
  if (const auto* value = input.if_contains(name)) {
    if (const auto parsed = as_bool(*value)) {
      target = *parsed;
    } else {
      errors[std::string(name)].emplace_back(kNotBoolean);
    }
  }
}

}  // namespace

json::object paste_object(const web::Context& ctx, const core::PasteView& view, bool with_body) {
  const core::Paste& paste = view.paste;
  json::object object;
  object["id"] = paste.id;
  object["title"] = paste.title;
  if (with_body) {
    object["body"] = paste.body;
  } else {
    object["body"] = nullptr;
  }
  object["timestamp"] = core::format_iso8601(paste.timestamp);
  if (paste.expiry) {
    object["expiry"] = core::format_iso8601(*paste.expiry);
  } else {
    object["expiry"] = nullptr;
  }
  object["freeze_hits"] = paste.freeze_hits;
  object["hits"] = paste.hits;
  object["size"] = paste.size;
  if (paste.author_id && !view.author_is_anonymous) {
    object["author"] = *paste.author_id;
  } else {
    object["author"] = nullptr;
  }
  if (paste.language_id) {
    object["language"] = *paste.language_id;
  } else {
    object["language"] = nullptr;
  }
  object["private"] = paste.is_private;
  object["burn"] = paste.burn;
  object["url"] = ctx.origin() + web::share_path(paste);
  return object;
}

std::variant<core::PasteFields, core::FieldErrors> read_paste_input(
    const web::Context& ctx, const json::object& input, const core::Paste* existing,
    bool partial) {
  core::FieldErrors errors;
  core::PasteFields fields;
  if (existing != nullptr) {
    fields.title = existing->title;
    fields.body = existing->body;
    fields.language_id = existing->language_id;
    fields.expiry = existing->expiry;
    fields.burn = existing->burn;
    fields.is_private = existing->is_private;
  }
  const bool required = !partial;
  std::string title = fields.title;
  read_text(input, "title", title, required, errors);
  if (input.contains("title") && !errors.contains("title")) {
    title = std::string(core::trim(title));
    core::check_title(title, errors);
  }
  fields.title = title;

  std::string body = fields.body;
  read_text(input, "body", body, required, errors);
  if (input.contains("body") && !errors.contains("body")) {
    body = core::normalize_newlines(body);
    core::check_body(body, ctx.services.settings.max_paste_bytes, errors);
  }
  fields.body = body;

  if (const auto* value = input.if_contains("language")) {
    if (value->is_null() || (value->is_string() && value->as_string().empty())) {
      fields.language_id.reset();
    } else if (const auto id = as_id(*value)) {
      if (!ctx.services.languages.contains(*id)) {
        errors["language"].emplace_back("Invalid pk \"" + std::to_string(*id) +
                                        "\" - object does not exist.");
      } else {
        fields.language_id = id;
      }
    } else {
      errors["language"].emplace_back("Incorrect type. Expected pk value, received " +
                                      std::string(json::to_string(value->kind())) + ".");
    }
  } else if (existing == nullptr) {
    fields.language_id.reset();  // guessed by the caller
  }

  if (const auto* value = input.if_contains("expiry")) {
    if (value->is_null() || (value->is_string() && value->as_string().empty())) {
      fields.expiry.reset();
    } else if (!value->is_string()) {
      errors["expiry"].emplace_back(
          "Datetime has wrong format. Use one of these formats instead: "
          "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].");
    } else if (const auto when = core::parse_iso8601(value->as_string()); !when) {
      errors["expiry"].emplace_back(
          "Datetime has wrong format. Use one of these formats instead: "
          "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].");
    } else if (*when <= ctx.now) {
      errors["expiry"].emplace_back("The expiry must be in the future.");
    } else {
      fields.expiry = when;
    }
  }
  read_bool(input, "private", fields.is_private, errors);
  read_bool(input, "burn", fields.burn, errors);
  if (!errors.empty()) {
    return errors;
  }
  return fields;
}

}  // namespace sillypaste::api
