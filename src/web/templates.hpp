#pragma once

#include <kainjow/mustache.hpp>

#include <map>
#include <string>
#include <string_view>

namespace sillypaste::web {

using Data = kainjow::mustache::data;
using List = kainjow::mustache::list;

namespace templates {
// Every file under src/web/templates/, by name ("paste.mustache"). Generated at build time.
const std::map<std::string, std::string_view>& embedded_files();
}  // namespace templates

// Renders the embedded Mustache templates. Parsing happens once per thread (the parsed
// form is not safe to share between threads while rendering).
class Templates {
 public:
  // Parses every template once to fail at startup, not on the first request, when one is
  // broken. Throws std::runtime_error naming the template.
  Templates();

  // Renders `name` ("paste" for paste.mustache). {{x}} escapes HTML; {{{x}}} does not and
  // is used only for HTML we made (highlighted bodies, sanitised renders, option lists).
  [[nodiscard]] std::string render(std::string_view name, const Data& data) const;
};

}  // namespace sillypaste::web
