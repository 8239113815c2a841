#include "web/cached_answer.hpp"

#include <memory>
#include <utility>

#include "core/random.hpp"
#include "web/http_cache.hpp"
#include "web/session.hpp"

namespace sillypaste::web {
namespace {

// The Host is part of the key: pages show the origin they were asked on. HEAD and GET
// share an entry.
std::string cache_key(const http::Request& request) {
  std::string key = request.secure ? "https://" : "http://";
  key += request.header("host").value_or("");
  key += request.path;
  key += '?';
  key += request.query;
  return key;
}

// Pages render `placeholder` as their CSRF token while it lives.
class TokenStandIn {
 public:
  TokenStandIn(Context& ctx, const std::string& placeholder)
      : ctx_(ctx), own_(std::exchange(ctx.csrf_token, placeholder)) {}
  ~TokenStandIn() { ctx_.csrf_token = std::move(own_); }
  TokenStandIn(const TokenStandIn&) = delete;
  TokenStandIn& operator=(const TokenStandIn&) = delete;

 private:
  Context& ctx_;
  std::string own_;
};

// The kept answer for this visitor: with their CSRF token, or the same bytes for all
// (gzipped once when the visitor takes gzip).
http::Response with_token(Context& ctx, const ResponseCache::EntryPtr& entry) {
  if (entry->needs_csrf_token()) {
    return entry->assemble(csrf_token(ctx));
  }
  http::Response response = ResponseCache::shared_answer(entry, false);
  if (worth_compressing(ctx.request, response) && !entry->gzipped().empty()) {
    response.share_body(ResponseCache::shared_bytes(entry, true));
    mark_gzipped(response);
  }
  return response;
}

// Whether the cache may answer: a GET or HEAD from a visitor nobody is logged in as.
bool cacheable(const Context& ctx) {
  const auto& method = ctx.request.method;
  return (method == "GET" || method == "HEAD") && !ctx.user;
}

// What `build` answers, made with a stand-in CSRF token and split around it for the cache.
std::shared_ptr<ResponseCache::Entry> built_entry(Context& ctx, std::uint64_t generation,
                                                  const std::function<http::Response()>& build) {
  // Unguessable, so no paste title or body can contain it.
  const std::string placeholder = core::random_hex(16);
  const TokenStandIn stand_in(ctx, placeholder);
  return ResponseCache::split(build(), placeholder, generation, ctx.now);
}

}  // namespace

http::Response cached_paste_answer(Context& ctx, const std::function<PasteAnswer()>& build) {
  if (!cacheable(ctx)) {
    PasteAnswer answer = build();
    if (answer.counts_hit_for != 0) {
      ctx.services.hits.add(answer.counts_hit_for);
    }
    not_modified_if_current(ctx.request, answer.response);
    return std::move(answer.response);
  }
  const auto make = [&](std::uint64_t generation) {
    PasteAnswer answer;
    auto entry = built_entry(ctx, generation, [&] {
      answer = build();
      return std::move(answer.response);
    });
    entry->keep = answer.keep;
    entry->counts_hit_for = answer.counts_hit_for;
    entry->expires = answer.expires;
    return ResponseCache::EntryPtr(std::move(entry));
  };
  auto& responses = ctx.services.responses;
  const auto key = cache_key(ctx.request);
  const auto entry = ctx.quick ? responses.answer_without_waiting(key, ctx.now, make)
                               : responses.answer(key, ctx.now, make);
  if (!entry) {
    throw NotQuick{};  // another request is building it: a worker waits for it
  }
  if (entry->counts_hit_for != 0) {
    ctx.services.hits.add(entry->counts_hit_for);
  }
  auto response = with_token(ctx, entry);
  not_modified_if_current(ctx.request, response);
  return response;
}

http::Response cached_answer(Context& ctx, const std::function<http::Response()>& build) {
  if (!cacheable(ctx)) {
    return build();
  }
  if (ctx.quick) {
    const auto kept = ctx.services.responses.peek(cache_key(ctx.request), ctx.now);
    if (!kept) {
      throw NotQuick{};
    }
    return with_token(ctx, kept);
  }
  const auto entry =
      ctx.services.responses.answer(cache_key(ctx.request), ctx.now, [&](std::uint64_t generation) {
        return ResponseCache::EntryPtr(built_entry(ctx, generation, build));
      });
  return with_token(ctx, entry);
}

}  // namespace sillypaste::web
