#pragma once

#include <initializer_list>
#include <string_view>

#include "core/paste_form.hpp"
#include "web/templates.hpp"

namespace sillypaste::web {

// Sets "has_errors_F" and "errors_F" for each field F (and "has_errors"), as the form
// templates show them: <ul class="errorlist" id="errors-F">.
void set_field_errors(Data& data, const core::FieldErrors& errors,
                      std::initializer_list<std::string_view> fields);

}  // namespace sillypaste::web
