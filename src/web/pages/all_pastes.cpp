#include <charconv>

#include "web/handlers.hpp"
#include "web/page.hpp"
#include "web/presenter.hpp"

namespace sillypaste::web {
namespace {

constexpr int kPageSize = 30;

// The query string with `name` replaced (or removed when value is empty).
std::string with_param(const http::Fields& query, std::string_view name, const std::string& value) {
  std::string out;
  auto append = [&out](std::string_view key, std::string_view val) {
    out += out.empty() ? "?" : "&";
    out += http::encode_query_value(key) + "=" + http::encode_query_value(val);
  };
  for (const auto& [key, val] : query) {
    if (key != name) {
      append(key, val);
    }
  }
  if (!value.empty()) {
    append(name, value);
  }
  return out;
}

}  // namespace

http::Response all_pastes(Context& ctx) {
  if (ctx.request.method != "GET" && ctx.request.method != "HEAD") {
    return method_not_allowed(ctx, "GET, HEAD");
  }
  core::PasteQuery query;
  query.viewer = ctx.viewer;
  query.now = ctx.now;
  query.limit = kPageSize;
  query.search = http::field(ctx.query, "q").value_or("");
  const std::string sort_key = http::field(ctx.query, "sort").value_or("");
  if (!sort_key.empty()) {
    const auto sort = core::parse_sort(sort_key);
    if (!sort) {
      return redirect(ctx.request.path + with_param(ctx.query, "sort", ""));
    }
    query.sort = *sort;
  }
  long long page_number = 1;
  if (const auto text = http::field(ctx.query, "page")) {
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), page_number);
    if (text->empty() || ec != std::errc{} || ptr != text->data() + text->size() ||
        page_number < 1 || page_number > 1'000'000) {
      return error_page(ctx, 404, "Invalid page: '" + *text + "' is not a page number.");
    }
  }
  query.offset = static_cast<int>((page_number - 1) * kPageSize);
  const auto result = ctx.store().list_pastes(query);
  const long long pages = std::max<long long>(1, (result.total + kPageSize - 1) / kPageSize);
  if (page_number > pages) {
    return error_page(ctx, 404, "Invalid page: there are only " + std::to_string(pages) +
                                    " pages.");
  }

  Data data;
  data.set("pastes", paste_rows(result.items));
  data.set("has_pastes", !result.items.empty());
  data.set("q", query.search);
  data.set("sort", sort_key);
  data.set("total", std::to_string(result.total));
  data.set("page", std::to_string(page_number));
  data.set("pages", std::to_string(pages));
  if (page_number > 1) {
    data.set("previous", with_param(ctx.query, "page", std::to_string(page_number - 1)));
  }
  if (page_number < pages) {
    data.set("next", with_param(ctx.query, "page", std::to_string(page_number + 1)));
  }
  List columns;
  for (const auto* key : {"title", "author", "language", "size", "hits", "timestamp"}) {
    Data column;
    column.set("label", std::string(key == std::string_view("timestamp") ? "created" : key));
    const bool current = sort_key == key;
    http::Fields without_page;
    for (const auto& field : ctx.query) {
      if (field.first != "page") {
        without_page.push_back(field);
      }
    }
    column.set("href", with_param(without_page, "sort", current ? "-" + std::string(key) : key));
    columns.push_back(column);
  }
  data.set("columns", columns);
  return page(ctx, "all", std::move(data), "All pastes");
}

}  // namespace sillypaste::web
