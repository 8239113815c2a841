#include "web/paste_listing.hpp"

#include <algorithm>
#include <charconv>

#include "web/page.hpp"
#include "web/presenter.hpp"

namespace sillypaste::web {
namespace {

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

List sort_columns(const http::Fields& query, const std::string& current_sort) {
  http::Fields without_page;
  for (const auto& field : query) {
    if (field.first != "page") {
      without_page.push_back(field);
    }
  }
  List columns;
  for (const auto* key : {"title", "author", "language", "size", "hits", "timestamp"}) {
    Data column;
    column.set("label", std::string(key == std::string_view("timestamp") ? "created" : key));
    const bool ascending_now = current_sort == key;
    column.set("href", with_param(without_page, "sort", ascending_now ? "-" + std::string(key) : key));
    if (ascending_now) {
      column.set("order", std::string("ascending"));
      column.set("arrow", std::string(" ▲"));
    } else if (current_sort == "-" + std::string(key)) {
      column.set("order", std::string("descending"));
      column.set("arrow", std::string(" ▼"));
    }
    columns.push_back(column);
  }
  return columns;
}

}  // namespace

Listing paste_listing(Context& ctx, core::PasteQuery query, int page_size) {
  Listing listing;
  query.viewer = ctx.viewer;
  query.now = ctx.now;
  query.limit = page_size;
  query.search = http::field(ctx.query, "q").value_or("");
  const std::string sort_key = http::field(ctx.query, "sort").value_or("");
  if (!sort_key.empty()) {
    const auto sort = core::parse_sort(sort_key);
    if (!sort) {
      listing.response = redirect(ctx.request.path + with_param(ctx.query, "sort", ""));
      return listing;
    }
    query.sort = *sort;
  }
  long long page_number = 1;
  if (const auto text = http::field(ctx.query, "page")) {
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), page_number);
    if (text->empty() || ec != std::errc{} || ptr != text->data() + text->size() ||
        page_number < 1 || page_number > 1'000'000) {
      listing.response = error_page(ctx, 404, "Invalid page: '" + *text + "' is not a page number.");
      return listing;
    }
  }
  query.offset = static_cast<int>((page_number - 1) * page_size);
  const auto result = ctx.store().list_pastes(query);
  const long long pages = std::max<long long>(1, (result.total + page_size - 1) / page_size);
  if (page_number > pages) {
    listing.response = error_page(
        ctx, 404, "Invalid page: there are only " + std::to_string(pages) + " pages.");
    return listing;
  }

  Data data;
  data.set("base", ctx.request.path);
  data.set("pastes", paste_rows(result.items));
  data.set("has_pastes", !result.items.empty());
  data.set("q", query.search);
  data.set("sort", sort_key);
  data.set("total", std::to_string(result.total));
  data.set("page", std::to_string(page_number));
  data.set("pages", std::to_string(pages));
  data.set("total_noun", std::string(result.total == 1 ? "paste" : "pastes"));
  const long long first_index = (page_number - 1) * page_size + 1;
  data.set("first_index", std::to_string(first_index));
  data.set("last_index",
           std::to_string(first_index + static_cast<long long>(result.items.size()) - 1));
  if (page_number > 1) {
    data.set("first", with_param(ctx.query, "page", ""));
    data.set("previous", with_param(ctx.query, "page", std::to_string(page_number - 1)));
  }
  if (page_number < pages) {
    data.set("next", with_param(ctx.query, "page", std::to_string(page_number + 1)));
    data.set("last", with_param(ctx.query, "page", std::to_string(pages)));
  }
  data.set("columns", sort_columns(ctx.query, sort_key));
  data.set("table_html", ctx.services.templates.render("paste_table", data));
  listing.data = std::move(data);
  return listing;
}

}  // namespace sillypaste::web
