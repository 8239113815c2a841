#pragma once

#include <optional>
#include <string>

#include "core/model.hpp"
#include "http/message.hpp"
#include "web/context.hpp"

namespace sillypaste::web {

// How a request names a paste: /<id>/... or /s/<secret>/...
struct PasteRef {
  std::optional<core::Id> id;
  std::string secret;
};

// One handler per page (web/pages/*.cpp). Each answers every method its path allows and
// 405 for the others.
http::Response home(Context& ctx);
http::Response raw_create(Context& ctx);
http::Response paste_new(Context& ctx);
http::Response paste_show(Context& ctx, const PasteRef& ref);
http::Response paste_raw(Context& ctx, const PasteRef& ref);
http::Response paste_render(Context& ctx, const PasteRef& ref);
http::Response paste_edit(Context& ctx, core::Id id);
http::Response paste_delete(Context& ctx, core::Id id);
http::Response all_pastes(Context& ctx);
http::Response stats(Context& ctx);
http::Response privacy_policy(Context& ctx);
http::Response health(Context& ctx);
http::Response health_ping(Context& ctx);
http::Response health_dashboard(Context& ctx);
http::Response static_file(Context& ctx, std::string_view name);
http::Response register_page(Context& ctx);
http::Response login_page(Context& ctx);
http::Response logout_page(Context& ctx);
http::Response password_change_page(Context& ctx);
http::Response password_change_done_page(Context& ctx);
http::Response profile(Context& ctx, std::string_view username);
http::Response my_pastes(Context& ctx);
http::Response admin_home(Context& ctx);
http::Response admin_pastes(Context& ctx);
http::Response admin_users(Context& ctx);
http::Response admin_languages(Context& ctx);
// 302 to the login page, coming back here afterwards.
http::Response login_redirect(Context& ctx);
http::Response not_found(Context& ctx);
http::Response method_not_allowed(Context& ctx, std::string_view allowed);

}  // namespace sillypaste::web
