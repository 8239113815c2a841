#include <map>

#include "web/charts.hpp"
#include "web/handlers.hpp"
#include "web/page.hpp"

namespace sillypaste::web {
namespace {

constexpr int kChartDays = 90;
constexpr core::Micros kDay = 86'400'000'000LL;

std::string day_label(std::int64_t day) { return core::format_iso8601(day * kDay).substr(0, 10); }

// The charts of /stats/ and a table with the same numbers for text browsers.
void add_charts(Context& ctx, Data& data, std::int64_t stored_bytes) {
  const auto daily = ctx.store().daily_paste_stats(kChartDays, ctx.now);
  std::map<std::int64_t, store::DailyPasteStats::Day> by_day;
  for (const auto& day : daily.days) by_day[day.day] = day;
  const std::int64_t today = ctx.now / kDay;
  std::vector<charts::Point> created, reclaimed, storage(kChartDays);
  std::int64_t created_total = 0, expired_total = 0, reclaimed_total = 0;
  List rows;
  for (std::int64_t day = today - kChartDays + 1; day <= today; ++day) {
    const auto it = by_day.find(day);
    const store::DailyPasteStats::Day numbers =
        it == by_day.end() ? store::DailyPasteStats::Day{day} : it->second;
    const std::string label = day_label(day);
    created.push_back({label, static_cast<double>(numbers.pastes),
                       std::to_string(numbers.pastes) + " pastes on " + label});
    reclaimed.push_back({label, static_cast<double>(numbers.reclaimed),
                         charts::human_bytes(static_cast<double>(numbers.reclaimed)) + " on " + label});
    created_total += numbers.pastes;
    expired_total += numbers.expired;
    reclaimed_total += numbers.reclaimed;
    if (it != by_day.end()) {
      Data row;
      row.set("day", label);
      row.set("pastes", std::to_string(numbers.pastes));
      row.set("bytes", charts::human_bytes(static_cast<double>(numbers.bytes)));
      row.set("expired", std::to_string(numbers.expired));
      row.set("reclaimed", charts::human_bytes(static_cast<double>(numbers.reclaimed)));
      rows.push_back(row);
    }
  }
  // Storage at the end of each day, estimated backwards from today's total: take away what
  // was created after that day, add back what expiry reclaimed after it.
  double stored = static_cast<double>(stored_bytes);
  for (int i = kChartDays - 1; i >= 0; --i) {
    const std::int64_t day = today - kChartDays + 1 + i;
    const std::string label = day_label(day);
    storage[static_cast<std::size_t>(i)] = {label, std::max(0.0, stored),
                                            charts::human_bytes(std::max(0.0, stored)) + " on " + label};
    if (const auto it = by_day.find(day); it != by_day.end()) {
      stored -= static_cast<double>(it->second.bytes);
      stored += static_cast<double>(it->second.reclaimed);
    }
  }
  data.set("chart_created",
           charts::bar_chart("chart-created", "Pastes created per day, last 90 days",
                             std::to_string(created_total) + " pastes created from " +
                                 created.front().label + " to " + created.back().label + ".",
                             created));
  data.set("chart_storage",
           charts::line_chart("chart-storage", "Storage used, last 90 days (estimated)",
                              "From " + storage.front().text + " to " + storage.back().text + ".",
                              storage));
  data.set("chart_expiry",
           charts::bar_chart("chart-expiry", "Space reclaimed by expiry per day, last 90 days",
                             std::to_string(expired_total) + " pastes expired, " +
                                 charts::human_bytes(static_cast<double>(reclaimed_total)) +
                                 " reclaimed.",
                             reclaimed));
  std::vector<charts::Point> languages;
  for (const auto& [name, count] : daily.languages) {
    languages.push_back({name.empty() ? std::string("Plain text") : name, static_cast<double>(count),
                         std::to_string(count) + (count == 1 ? " paste" : " pastes")});
  }
  data.set("chart_languages", charts::ranking_chart("chart-languages", "Languages most used", languages));
  data.set("daily_rows", rows);
  data.set("has_daily_rows", !rows.empty());
}

}  // namespace

http::Response stats(Context& ctx) {
  if (ctx.request.method != "GET" && ctx.request.method != "HEAD") {
    return method_not_allowed(ctx, "GET, HEAD");
  }
  const auto stats = ctx.store().stats();
  Data data;
  data.set("paste_count", std::to_string(stats.paste_count));
  data.set("paste_bytes", std::to_string(stats.paste_bytes));
  if (stats.last_expiry) {
    data.set("last_expiry", core::format_human(stats.last_expiry->timestamp));
    data.set("last_expiry_iso", core::format_iso8601(stats.last_expiry->timestamp));
  }
  data.set("total_expired", std::to_string(stats.total_expired));
  data.set("total_reclaimed", std::to_string(stats.total_reclaimed));
  data.set("total_pruned", std::to_string(stats.total_users_pruned));
  data.set("anonymous_users", std::to_string(stats.anonymous_users));
  data.set("registered_users", std::to_string(stats.registered_users));
  data.set("total_users", std::to_string(stats.anonymous_users + stats.registered_users));
  if (stats.paste_bytes >= 1024) {
    data.set("paste_bytes_human", charts::human_bytes(static_cast<double>(stats.paste_bytes)));
  }
  add_charts(ctx, data, stats.paste_bytes);
  return page(ctx, "stats", std::move(data), "Statistics");
}

http::Response privacy_policy(Context& ctx) {
  if (ctx.request.method != "GET" && ctx.request.method != "HEAD") {
    return method_not_allowed(ctx, "GET, HEAD");
  }
  return page(ctx, "privacy", Data(), "Privacy policy");
}

http::Response not_found(Context& ctx) {
  return error_page(ctx, 404, "There is nothing at this address. The paste may have expired, "
                              "been deleted, or never existed.");
}

http::Response method_not_allowed(Context& ctx, std::string_view allowed) {
  auto response = error_page(ctx, 405, "This address does not accept " + ctx.request.method +
                                           "; it accepts " + std::string(allowed) + ".");
  response.add_header("Allow", std::string(allowed));
  return response;
}

}  // namespace sillypaste::web
