#include "web/rate_limits.hpp"

namespace sillypaste::web {

core::RateDecision count_paste_creation(Context& ctx, const std::optional<core::User>& author) {
  if (author && author->is_staff && author->is_active && !author->is_anonymous) {
    return {};
  }
  return ctx.services.create_limiter.acquire(core::address_key(ctx.request.remote_address),
                                             ctx.now);
}

core::RateDecision count_registration(Context& ctx) {
  return ctx.services.register_limiter.acquire(core::address_key(ctx.request.remote_address),
                                               ctx.now);
}

std::string try_again_message(std::string_view too_many, const core::RateDecision& decision) {
  const auto seconds = decision.retry_after_seconds();
  return std::string(too_many) + "; try again in " + std::to_string(seconds) +
         (seconds == 1 ? " second." : " seconds.");
}

void add_retry_after(http::Response& response, const core::RateDecision& decision) {
  response.add_header("Retry-After", std::to_string(decision.retry_after_seconds()));
}

}  // namespace sillypaste::web
