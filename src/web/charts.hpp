#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sillypaste::web::charts {

// One value of a chart: a label (a day "2026-11-25", a language name), the value drawn
// and the text shown for it.
struct Point {
  std::string label;
  double value = 0;
  std::string text;
};

// Inline SVG drawn on the server (no JavaScript, no style attributes: classes only).
// Every chart has a <title> and a <desc> summing it up, so it reads without graphics.

// Vertical bars, one per point, in one <path>; points with value 0 draw nothing.
[[nodiscard]] std::string bar_chart(std::string_view id, std::string_view title,
                                    std::string_view summary, const std::vector<Point>& points);

// A line over the points (storage over time).
[[nodiscard]] std::string line_chart(std::string_view id, std::string_view title,
                                     std::string_view summary, const std::vector<Point>& points);

// Horizontal labelled bars, each with its own <title> (languages most used).
[[nodiscard]] std::string ranking_chart(std::string_view id, std::string_view title,
                                        const std::vector<Point>& points);

// "1.2 MiB", "532 bytes".
[[nodiscard]] std::string human_bytes(double bytes);

}  // namespace sillypaste::web::charts
