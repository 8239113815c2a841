#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

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

}  // namespace sillypaste::api
