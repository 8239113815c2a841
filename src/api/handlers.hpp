#pragma once

#include <optional>

#include "core/model.hpp"
#include "http/message.hpp"
#include "web/context.hpp"

namespace sillypaste::api {

// The REST API (SPEC §7): one handler per resource, JSON in and out.
http::Response root(web::Context& ctx);
http::Response login(web::Context& ctx);
http::Response logout(web::Context& ctx);
http::Response paste_list(web::Context& ctx);
http::Response paste_detail(web::Context& ctx, core::Id id);
http::Response paste_burn(web::Context& ctx, core::Id id);
http::Response language_list(web::Context& ctx);
http::Response language_detail(web::Context& ctx, core::Id id);
http::Response expirylog_list(web::Context& ctx);
http::Response user_list(web::Context& ctx);
http::Response user_detail(web::Context& ctx, std::optional<core::Id> id);  // nullopt: me
http::Response schema(web::Context& ctx);

// Routes a path under /api/ (authentication included).
http::Response route(web::Context& ctx);

}  // namespace sillypaste::api
