#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "core/model.hpp"
#include "core/paste_form.hpp"
#include "http/message.hpp"
#include "web/context.hpp"

namespace sillypaste::web {

// Makes the answer to a create from the paste as written (its id set). Runs on a network
// thread, so it must not block (no store calls).
using AnswerCreated = std::function<http::Response(const Context& ctx, const core::Paste& paste)>;

// Builds a new paste (highlighting and rendering it), queues it for the store's group
// commit and returns a pending answer at once, so that this worker thread goes on to the
// next request meanwhile. Once the paste is committed, `answer` makes the answer; an error
// writing it is answered as any handler's error is. (A large paste is written and answered
// on this thread instead.) The store hears of the paste before the rendering starts, so a
// group commit that begins meanwhile may wait for it.
[[nodiscard]] http::Response create_paste(Context& ctx, const core::PasteFields& fields,
                                          std::optional<core::Id> author,
                                          std::string_view language_name, AnswerCreated answer);

}  // namespace sillypaste::web
