#pragma once

#include <functional>

#include "http/message.hpp"
#include "web/context.hpp"

namespace sillypaste::web {

// The answer `build` makes, through the response cache (services.responses) when the
// request is a GET or HEAD from a visitor nobody is logged in as: built once per write
// and second, then served to everyone with their own CSRF token.
[[nodiscard]] http::Response cached_answer(Context& ctx,
                                           const std::function<http::Response()>& build);

}  // namespace sillypaste::web
