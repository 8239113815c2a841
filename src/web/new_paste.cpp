#include "web/new_paste.hpp"

#include <cstddef>
#include <exception>
#include <memory>
#include <utility>

#include "core/paste_builder.hpp"
#include "http/pending_response.hpp"

namespace sillypaste::web {
namespace {

// A pending answer is made on a network thread, which every connection of that thread
// waits for: the answer to a large paste (its JSON holds the body, and it may be
// compressed) is made here instead, once the paste is written.
constexpr std::size_t kAnsweredByWorkerBytes = std::size_t{64} * 1024;

}  // namespace

http::Response create_paste(Context& ctx, const core::PasteFields& fields,
                            std::optional<core::Id> author, std::string_view language_name,
                            AnswerCreated answer) {
  store::ExpectedWrite expected = ctx.store().expect_paste_insert();
  core::Paste paste = core::build_paste(fields, author, language_name, ctx.now);
  expected.release();
  if (paste.body.size() > kAnsweredByWorkerBytes) {
    paste.id = ctx.store().insert_paste(paste);
    return answer(ctx, paste);
  }
  auto pending = std::make_shared<http::PendingResponse>();
  // A copy: the handler's returns with it. What it refers to (the request, the services)
  // lives until the answer is sent.
  auto answering = std::make_shared<const Context>(ctx);
  ctx.store().insert_paste_then(std::move(paste), [pending, answering, answer = std::move(answer)](
                                                      core::Paste written,
                                                      const std::exception_ptr& error) {
    pending->complete([answering, answer, written = std::move(written), error]() -> http::Response {
      if (error) {
        std::rethrow_exception(error);
      }
      return answer(*answering, written);
    });
  });
  return http::Response::later(std::move(pending));
}

}  // namespace sillypaste::web
