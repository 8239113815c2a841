#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "api/json_io.hpp"

namespace sillypaste::api {

constexpr int kDefaultLimit = 25;
constexpr int kMaxLimit = 1000;

struct Window {
  int limit = kDefaultLimit;
  int offset = 0;
};

// ?limit= and ?offset= (DRF's LimitOffsetPagination): limit 0 or absent means the
// default, limits above kMaxLimit are capped; anything not a non-negative integer is 400.
[[nodiscard]] std::variant<Window, http::Response> read_window(const web::Context& ctx);

// {"count", "next", "previous", "results"} with absolute next/previous links.
[[nodiscard]] json::object page_object(const web::Context& ctx, const Window& window,
                                       std::int64_t count, json::array results);

// A paginated list of a collection already read whole (languages, expiry logs): one
// window of `items`, each turned into JSON by `to_json`.
template <typename Item, typename ToJson>
[[nodiscard]] http::Response page_of(const web::Context& ctx, const Window& window,
                                     const std::vector<Item>& items, ToJson to_json) {
  json::array results;
  for (std::size_t i = static_cast<std::size_t>(window.offset);
       i < items.size() && results.size() < static_cast<std::size_t>(window.limit); ++i) {
    results.push_back(to_json(items[i]));
  }
  return json_response(200, page_object(ctx, window, static_cast<std::int64_t>(items.size()),
                                        std::move(results)));
}

}  // namespace sillypaste::api
