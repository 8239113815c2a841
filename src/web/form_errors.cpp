#include "web/form_errors.hpp"

#include <string>

namespace sillypaste::web {

void set_field_errors(Data& data, const core::FieldErrors& errors,
                      std::initializer_list<std::string_view> fields) {
  for (const auto field : fields) {
    const auto it = errors.find(std::string(field));
    List messages;
    if (it != errors.end()) {
      for (const auto& message : it->second) {
        messages.push_back(Data(message));
      }
    }
    data.set("has_errors_" + std::string(field), !messages.empty());
    data.set("errors_" + std::string(field), messages);
  }
  data.set("has_errors", !errors.empty());
}

}  // namespace sillypaste::web
