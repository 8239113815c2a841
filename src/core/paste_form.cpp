#include "core/paste_form.hpp"

#include <charconv>

#include "core/text.hpp"
#include "core/time.hpp"

namespace sillypaste::core {

void check_title(const std::string& title, FieldErrors& errors) {
  if (!is_valid_utf8(title)) {
    errors["title"].emplace_back("The title is not valid UTF-8 text.");
  } else if (title.empty()) {
    errors["title"].emplace_back("This field is required.");
  } else if (utf8_length(title) > kMaxTitleLength) {
    errors["title"].emplace_back("Ensure this value has at most 100 characters (it has " +
                                 std::to_string(utf8_length(title)) + ").");
  }
}

void check_body(const std::string& body, std::size_t max_body_bytes, FieldErrors& errors) {
  if (body.empty()) {
    errors["body"].emplace_back("This field is required.");
  } else if (body.size() > max_body_bytes) {
    errors["body"].emplace_back("The body is " + std::to_string(body.size()) +
                                " bytes; the limit is " + std::to_string(max_body_bytes) +
                                " bytes.");
  } else if (!is_valid_utf8(body)) {
    errors["body"].emplace_back("The body is not valid UTF-8 text.");
  }
}

PasteFormResult validate_paste_form(const PasteFormInput& input, const PasteFormLimits& limits) {
  PasteFormResult result;
  FieldErrors& errors = result.errors;
  PasteFields fields;

  fields.title = std::string(trim(input.title));
  check_title(fields.title, errors);
  fields.body = normalize_newlines(input.body);
  check_body(fields.body, limits.max_body_bytes, errors);

  if (!input.language.empty()) {
    Id id = 0;
    const auto* end = input.language.data() + input.language.size();
    auto [ptr, ec] = std::from_chars(input.language.data(), end, id);
    if (ec != std::errc{} || ptr != end || id <= 0 ||
        (limits.language_exists && !limits.language_exists(id))) {
      errors["language"].emplace_back("Select a valid choice. That choice is not one of the "
                                      "available choices.");
    } else {
      fields.language_id = id;
    }
  }

  const std::string preset_text =
      input.expiry_preset.empty() ? std::string(expiry_preset_name(kDefaultExpiryPreset))
                                  : input.expiry_preset;
  const auto preset = parse_expiry_preset(preset_text);
  if (!preset) {
    errors["expiry_preset"].emplace_back("Select a valid choice: never, 1hour, 1day, burn or "
                                         "custom.");
  } else if (*preset == ExpiryPreset::kCustom) {
    const bool has_date = !trim(input.custom_expiry_date).empty();
    const bool has_time = !trim(input.custom_expiry_time).empty();
    if (!has_date) {
      errors["custom_expiry_date"].emplace_back("Enter a date (YYYY-MM-DD) for a custom expiry.");
    }
    if (!has_time) {
      errors["custom_expiry_time"].emplace_back("Enter a time (HH:MM, UTC) for a custom expiry.");
    }
    if (has_date && has_time) {
      const auto when =
          parse_date_time(trim(input.custom_expiry_date), trim(input.custom_expiry_time));
      if (!when) {
        errors["custom_expiry_date"].emplace_back(
            "Enter a valid date (YYYY-MM-DD) and time (HH:MM or HH:MM:SS).");
      } else if (*when <= limits.now) {
        errors["custom_expiry_date"].emplace_back("The expiry must be in the future.");
      } else {
        fields.expiry = when;
      }
    }
  } else {
    fields.expiry = expiry_for_preset(*preset, limits.now);
    fields.burn = *preset == ExpiryPreset::kBurn;
  }
  fields.is_private = input.is_private;

  if (errors.empty()) {
    result.fields = std::move(fields);
  }
  return result;
}

}  // namespace sillypaste::core
