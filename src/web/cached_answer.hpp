#pragma once

#include <functional>
#include <optional>

#include "core/model.hpp"
#include "http/message.hpp"
#include "web/context.hpp"

namespace sillypaste::web {

// The answer `build` makes, through the response cache (services.responses) when the
// request is a GET or HEAD from a visitor nobody is logged in as: built once per write
// and second, then served to everyone with their own CSRF token.
[[nodiscard]] http::Response cached_answer(Context& ctx,
                                           const std::function<http::Response()>& build);

// What showing a paste (its page or raw text) answers, as cached_paste_answer needs it.
struct PasteAnswer {
  // The same for every visitor alike: never a 304 (the ETag is compared afterwards).
  http::Response response;
  bool keep = false;                    // may serve later visitors: public, not burning
  core::Id counts_hit_for = 0;          // each view of it counts a hit for this paste
  std::optional<core::Micros> expires;  // the paste's expiry
};

// A paste's answer as cached_answer serves listings: built once per write and second for
// everyone not logged in, kept only when `keep` says so. Every serve counts its hit, an
// answer is never served once its paste has expired, and an If-None-Match matching its
// ETag gets a 304. On a network thread (Context::quick), a request never waits for another
// one's build: it throws NotQuick instead.
[[nodiscard]] http::Response cached_paste_answer(Context& ctx,
                                                 const std::function<PasteAnswer()>& build);

}  // namespace sillypaste::web
