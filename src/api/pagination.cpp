#include "api/pagination.hpp"

#include <algorithm>
#include <charconv>

#include "http/form.hpp"

namespace sillypaste::api {
namespace {

std::optional<long long> non_negative(std::string_view text) {
  long long value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || value < 0) {
    return std::nullopt;
  }
  return value;
}

// This request's absolute URL with limit and offset set.
std::string link(const web::Context& ctx, int limit, long long offset) {
  std::string query;
  for (const auto& [key, value] : ctx.query) {
    if (key == "limit" || key == "offset") {
      continue;
    }
    query += (query.empty() ? "?" : "&") + http::encode_query_value(key) + "=" +
             http::encode_query_value(value);
  }
  query += (query.empty() ? "?" : "&") + std::string("limit=") + std::to_string(limit);
  if (offset > 0) {
    query += "&offset=" + std::to_string(offset);
  }
  return ctx.origin() + ctx.request.path + query;
}

}  // namespace

std::variant<Window, http::Response> read_window(const web::Context& ctx) {
  Window window;
  core::FieldErrors errors;
  if (const auto text = http::field(ctx.query, "limit")) {
    const auto limit = non_negative(*text);
    if (!limit) {
      errors["limit"].emplace_back("A non-negative integer is required.");
    } else if (*limit > 0) {
      window.limit = static_cast<int>(std::min<long long>(*limit, kMaxLimit));
    }
  }
  if (const auto text = http::field(ctx.query, "offset")) {
    const auto offset = non_negative(*text);
    if (!offset || *offset > 1'000'000'000) {
      errors["offset"].emplace_back("A non-negative integer is required.");
    } else {
      window.offset = static_cast<int>(*offset);
    }
  }
  if (!errors.empty()) {
    return field_errors(errors);
  }
  return window;
}

json::object page_object(const web::Context& ctx, const Window& window, std::int64_t count,
                         json::array results) {
  json::object page;
  page["count"] = count;
  if (window.offset + window.limit < count) {
    page["next"] = link(ctx, window.limit, window.offset + window.limit);
  } else {
    page["next"] = nullptr;
  }
  if (window.offset > 0) {
    page["previous"] = link(ctx, window.limit, std::max(0, window.offset - window.limit));
  } else {
    page["previous"] = nullptr;
  }
  page["results"] = std::move(results);
  return page;
}

}  // namespace sillypaste::api
