#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/expiry_policy.hpp"
#include "core/model.hpp"

namespace sillypaste::core {

// Field name -> messages, shown next to each field.
using FieldErrors = std::map<std::string, std::vector<std::string>>;

constexpr std::size_t kMaxTitleLength = 100;

// What the web form sends, as text.
struct PasteFormInput {
  std::string title;
  std::string body;
  std::string language;  // a language id or empty
  std::string expiry_preset;
  std::string custom_expiry_date;
  std::string custom_expiry_time;
  bool is_private = false;
};

// A paste's content, checked: ready to be stored.
struct PasteFields {
  std::string title;  // trimmed
  std::string body;   // CRLF -> LF
  std::optional<Id> language_id;
  std::optional<Micros> expiry;
  bool burn = false;
  bool is_private = false;
};

struct PasteFormLimits {
  std::size_t max_body_bytes = 2097152;
  Micros now = 0;
  std::function<bool(Id)> language_exists;
};

struct PasteFormResult {
  std::optional<PasteFields> fields;  // set when valid
  FieldErrors errors;                 // set when not
};

[[nodiscard]] PasteFormResult validate_paste_form(const PasteFormInput& input,
                                                  const PasteFormLimits& limits);

// Checks shared by every way of creating a paste (form, raw POST, API); adds messages to
// `errors` under "title" and "body".
void check_title(const std::string& title, FieldErrors& errors);
void check_body(const std::string& body, std::size_t max_body_bytes, FieldErrors& errors);

}  // namespace sillypaste::core
