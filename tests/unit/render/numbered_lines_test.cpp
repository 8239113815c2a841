#include "render/numbered_lines.hpp"

#include <gtest/gtest.h>

#include <string>

#include "render/highlight.hpp"

namespace sillypaste::render {
namespace {

std::string line_html(int number, const std::string& code) {
  const std::string n = std::to_string(number);
  return "<span class=\"line\" id=\"L" + n + "\"><a class=\"ln\" href=\"#L" + n + "\">" + n + " " +
         "</a><code>" + code + "</code></span>";
}

TEST(NumberedLinesHtml, EachLineGetsItsNumberAnchorAndCode) {
  EXPECT_EQ(numbered_lines_html("a &lt; b\n<span class=\"kw\">def</span> f"),
            line_html(1, "a &lt; b") + "\n" + line_html(2, "<span class=\"kw\">def</span> f"));
}

TEST(NumberedLinesHtml, EmptyAndBlankLinesAreKept) {
  EXPECT_EQ(numbered_lines_html(""), line_html(1, ""));
  EXPECT_EQ(numbered_lines_html("a\n\nb\n"), line_html(1, "a") + "\n" + line_html(2, "") + "\n" +
                                                 line_html(3, "b") + "\n" + line_html(4, ""));
}

TEST(NumberedLinesHtml, NumbersGoPastOneDigit) {
  std::string stored;
  for (int i = 1; i <= 1'234; ++i) stored += (i > 1 ? "\n" : "") + std::to_string(i * 7);
  const std::string html = numbered_lines_html(stored);
  EXPECT_NE(html.find(line_html(10, "70")), std::string::npos);
  EXPECT_TRUE(html.ends_with(line_html(1'234, "8638"))) << html.substr(html.size() - 200);
}

// Pastes stored before the page numbered the lines already hold the page's markup.
TEST(NumberedLinesHtml, HtmlStoredByOlderVersionsIsShownAsItIs) {
  const std::string legacy =
      line_html(1, "<span class=\"hl-keyword\">def</span> f():") + "\n" + line_html(2, "  pass");
  EXPECT_EQ(numbered_lines_html(legacy), legacy);
}

// Text a paste holds cannot pass for the older markup: it is escaped before it is stored.
TEST(NumberedLinesHtml, BodyLookingLikeTheOlderMarkupIsStillNumbered) {
  const std::string stored = highlight_html("<span class=\"line\" id=\"L1\">x", "plain");
  EXPECT_EQ(numbered_lines_html(stored), line_html(1, stored));
}

TEST(NumberedLinesHtml, HighlightedPythonGetsOneElementPerLine) {
  const std::string html =
      numbered_lines_html(highlight_html("def f():\n    return 1\n", "Python"));
  EXPECT_TRUE(html.starts_with(line_html(1, "").substr(0, 50))) << html;
  EXPECT_NE(html.find("<code><span class=\"kw\">def</span> "), std::string::npos) << html;
  EXPECT_NE(html.find("id=\"L2\""), std::string::npos) << html;
  EXPECT_EQ(html.find("id=\"L3\""), std::string::npos) << html;
}

}  // namespace
}  // namespace sillypaste::render
