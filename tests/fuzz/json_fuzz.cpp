// The API's JSON paste input. api::read_paste_input needs a whole web::Context (store,
// templates, language catalogue), so this target does what it does with the pieces that
// stand alone: parse the body as api::read_object does (boost::json), then put the
// paste fields through the same checks (trim, newline normalisation, check_title,
// check_body, parse_iso8601 for "expiry") and through core::validate_paste_form.
#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/paste_form.hpp"
#include "core/text.hpp"
#include "core/time.hpp"

using namespace sillypaste;
namespace json = boost::json;

namespace {

std::string text_of(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr) return {};
  if (value->is_string()) return std::string(value->get_string());
  return json::serialize(*value);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  boost::system::error_code error;
  json::value value = json::parse(body, error);
  if (error || !value.is_object()) return 0;
  const json::object& object = value.as_object();
  (void)json::serialize(value);

  core::FieldErrors errors;
  const std::string title(core::trim(text_of(object, "title")));
  core::check_title(title, errors);
  const std::string paste_body = core::normalize_newlines(text_of(object, "body"));
  core::check_body(paste_body, 1024, errors);
  if (const json::value* expiry = object.if_contains("expiry"); expiry && expiry->is_string()) {
    (void)core::parse_iso8601(expiry->get_string());
  }

  core::PasteFormInput input;
  input.title = text_of(object, "title");
  input.body = text_of(object, "body");
  input.language = text_of(object, "language");
  input.expiry_preset = text_of(object, "expiry");
  input.custom_expiry_date = text_of(object, "custom_expiry_date");
  input.custom_expiry_time = text_of(object, "custom_expiry_time");
  input.is_private = object.contains("private");
  core::PasteFormLimits limits;
  limits.max_body_bytes = 1024;
  limits.now = 1'700'000'000'000'000;
  limits.language_exists = [](core::Id id) { return id > 0 && id < 100; };
  (void)core::validate_paste_form(input, limits);
  return 0;
}
