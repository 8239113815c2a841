#pragma once

#include <string>
#include <string_view>

#include "http/message.hpp"
#include "web/context.hpp"

namespace sillypaste::web {

// Renders template `name` inside the site layout (navigation, stylesheet, script) as an
// HTML response. `title` goes into <title> (escaped).
[[nodiscard]] http::Response page(Context& ctx, std::string_view name, Data data,
                                  std::string_view title, unsigned status = 200);

// The same, for a page whose template holds one large block of HTML made safe when the
// paste was written (highlighted code, rendered Markdown): the template names it with
// {{{html_block}}}, and `html_block` is copied once, straight into the answer, rather
// than through the template engine.
[[nodiscard]] http::Response page_with_block(Context& ctx, std::string_view name, Data data,
                                             std::string_view title, std::string_view html_block);

// The HTML error page for a status (403, 404, 413, ...) with one sentence saying why.
[[nodiscard]] http::Response error_page(Context& ctx, unsigned status, std::string_view message);

// A one-line text/plain answer (raw POST and raw/ errors).
[[nodiscard]] http::Response plain(unsigned status, std::string_view line);

[[nodiscard]] http::Response redirect(std::string_view location, unsigned status = 302);

[[nodiscard]] std::string_view status_reason(unsigned status);

}  // namespace sillypaste::web
