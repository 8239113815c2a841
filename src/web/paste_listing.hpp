#pragma once

#include <optional>
#include <string_view>

#include "core/paste_query.hpp"
#include "http/message.hpp"
#include "web/context.hpp"

namespace sillypaste::web {

// A sortable, paginated table of pastes (/all/, profiles, admin) from the request's
// ?q=, ?sort= and ?page=. Either template data ("pastes", "columns", "previous", "next",
// "page", "pages", "total", "q", "sort", "base", and "table_html": the table rendered) or a response to send instead: a 302
// without an invalid sort key, a 404 for a page that does not exist.
struct Listing {
  std::optional<Data> data;
  http::Response response;
};

[[nodiscard]] Listing paste_listing(Context& ctx, core::PasteQuery query, int page_size);

}  // namespace sillypaste::web
