#include "web/charts.hpp"

#include <algorithm>
#include <cstdio>

#include "render/html_escape.hpp"

namespace sillypaste::web::charts {
namespace {

constexpr int kWidth = 600;
constexpr int kHeight = 160;
constexpr int kLeft = 4;
constexpr int kTop = 16;
constexpr int kBottom = 18;  // room for the first and last labels

std::string num(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", value);
  std::string text = buffer;
  if (text.ends_with(".0")) text.resize(text.size() - 2);
  return text;
}

std::string escape(std::string_view text) { return render::escape_html(text); }

std::string open_svg(std::string_view id, std::string_view title, std::string_view summary,
                     int height) {
  std::string out = "<svg id=\"" + escape(id) + "\" viewBox=\"0 0 " + std::to_string(kWidth) +
                    " " + std::to_string(height) + "\" role=\"img\" aria-labelledby=\"" +
                    escape(id) + "-t " + escape(id) + "-d\">";
  out += "<title id=\"" + escape(id) + "-t\">" + escape(title) + "</title>";
  out += "\n<desc id=\"" + escape(id) + "-d\">" + escape(summary) + "</desc>\n";
  return out;
}

// The baseline, the largest value at the top left, the first and last labels below.
std::string frame(const std::vector<Point>& points, double max_value, std::string_view max_text) {
  const int base = kHeight - kBottom;
  std::string out = "<path class=\"axis\" d=\"M" + std::to_string(kLeft) + " " +
                    std::to_string(base) + "H" + std::to_string(kWidth) + "\"/>";
  if (max_value > 0) {
    out += "<text x=\"" + std::to_string(kLeft) + "\" y=\"11\">max " + escape(max_text) +
           "</text>\n";
  }
  if (!points.empty()) {
    out += "<text x=\"" + std::to_string(kLeft) + "\" y=\"" + std::to_string(kHeight - 4) +
           "\">from " + escape(points.front().label) + "</text>\n";
    out += "<text x=\"" + std::to_string(kWidth) + "\" y=\"" + std::to_string(kHeight - 4) +
           "\" text-anchor=\"end\">to " + escape(points.back().label) + "</text>\n";
  }
  return out;
}

const Point* largest(const std::vector<Point>& points) {
  const auto it = std::max_element(points.begin(), points.end(),
                                   [](const Point& a, const Point& b) { return a.value < b.value; });
  return it == points.end() ? nullptr : &*it;
}

}  // namespace

std::string human_bytes(double bytes) {
  if (bytes < 1024) return num(bytes) + " bytes";
  if (bytes < 1024.0 * 1024) return num(bytes / 1024) + " KiB";
  if (bytes < 1024.0 * 1024 * 1024) return num(bytes / 1024 / 1024) + " MiB";
  return num(bytes / 1024 / 1024 / 1024) + " GiB";
}

std::string bar_chart(std::string_view id, std::string_view title, std::string_view summary,
                      const std::vector<Point>& points) {
  std::string out = open_svg(id, title, summary, kHeight);
  const Point* top = largest(points);
  const double max_value = top ? top->value : 0;
  if (max_value > 0) {
    const double step = static_cast<double>(kWidth - kLeft) / static_cast<double>(points.size());
    const double bar = std::max(1.0, step - 1);
    const double room = kHeight - kBottom - kTop;
    std::string d;
    for (std::size_t i = 0; i < points.size(); ++i) {
      if (points[i].value <= 0) continue;
      const double h = std::max(1.0, points[i].value / max_value * room);
      d += "M" + num(kLeft + static_cast<double>(i) * step) + " " + num(kHeight - kBottom) +
           "v-" + num(h) + "h" + num(bar) + "v" + num(h) + "z";
    }
    out += "<path class=\"bar\" d=\"" + d + "\"/>";
  }
  out += frame(points, max_value, top ? top->text : "");
  out += "</svg>";
  return out;
}

std::string line_chart(std::string_view id, std::string_view title, std::string_view summary,
                       const std::vector<Point>& points) {
  std::string out = open_svg(id, title, summary, kHeight);
  const Point* top = largest(points);
  const double max_value = top ? top->value : 0;
  if (max_value > 0 && !points.empty()) {
    const double step = points.size() > 1 ? static_cast<double>(kWidth - kLeft) /
                                                static_cast<double>(points.size() - 1)
                                          : 0;
    const double room = kHeight - kBottom - kTop;
    std::string d;
    for (std::size_t i = 0; i < points.size(); ++i) {
      d += (i == 0 ? "M" : "L") + num(kLeft + static_cast<double>(i) * step) + " " +
           num(kHeight - kBottom - points[i].value / max_value * room);
    }
    d += "V" + std::to_string(kHeight - kBottom) + "H" + std::to_string(kLeft) + "z";
    out += "<path class=\"bar area\" d=\"" + d + "\"/>";
  }
  out += frame(points, max_value, top ? top->text : "");
  out += "</svg>";
  return out;
}

std::string ranking_chart(std::string_view id, std::string_view title,
                          const std::vector<Point>& points) {
  constexpr int kRow = 20;
  const int height = std::max<int>(kRow, static_cast<int>(points.size()) * kRow);
  std::string summary;
  for (const auto& point : points) {
    summary += (summary.empty() ? "" : ", ") + point.label + ": " + point.text;
  }
  std::string out = open_svg(id, title, summary.empty() ? "No pastes yet." : "", height);
  const Point* top = largest(points);
  const double max_value = top && top->value > 0 ? top->value : 1;
  constexpr int kLabel = 170;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const int y = static_cast<int>(i) * kRow;
    const double w = std::max(1.0, points[i].value / max_value * (kWidth - kLabel - 60));
    out += "<g><title>" + escape(points[i].label) + ": " + escape(points[i].text) + "</title>";
    out += "<text x=\"" + std::to_string(kLabel - 6) + "\" y=\"" + std::to_string(y + 14) +
           "\" text-anchor=\"end\">" + escape(points[i].label) + ":</text> ";
    out += "<rect class=\"bar\" x=\"" + std::to_string(kLabel) + "\" y=\"" +
           std::to_string(y + 3) + "\" width=\"" + num(w) + "\" height=\"14\"/>";
    out += "<text x=\"" + num(kLabel + w + 6) + "\" y=\"" + std::to_string(y + 14) + "\">" +
           escape(points[i].text) + "</text></g>\n";
  }
  out += "</svg>";
  return out;
}

}  // namespace sillypaste::web::charts
