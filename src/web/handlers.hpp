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
http::Response not_found(Context& ctx);
http::Response method_not_allowed(Context& ctx, std::string_view allowed);

}  // namespace sillypaste::web
