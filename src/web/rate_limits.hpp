#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/model.hpp"
#include "core/rate_limiter.hpp"
#include "http/message.hpp"
#include "web/context.hpp"

namespace sillypaste::web {

// The per-address limits of SILLYPASTE_RATE_LIMIT_CREATE and _REGISTER, applied by every
// handler that creates a paste or an account right before it writes: a refused request
// has written nothing, and a request with form errors counts nothing.

// Counts a paste about to be created from the client's address. Staff are not limited.
[[nodiscard]] core::RateDecision count_paste_creation(Context& ctx,
                                                      const std::optional<core::User>& author);
[[nodiscard]] core::RateDecision count_registration(Context& ctx);

// "Too many pastes created from your address; try again in 12 seconds."
[[nodiscard]] std::string try_again_message(std::string_view too_many,
                                            const core::RateDecision& decision);

// A 429 carries Retry-After: <seconds>.
void add_retry_after(http::Response& response, const core::RateDecision& decision);

}  // namespace sillypaste::web
