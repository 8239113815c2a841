#include "render/markdown.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "render/html_escape.hpp"

namespace sillypaste::render {
namespace {

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

TEST(MarkdownToHtml, RendersCommonMark) {
  EXPECT_EQ(markdown_to_html("# Title\n\nSome *em* and `<code>`.\n"),
            "<h1>Title</h1>\n<p>Some <em>em</em> and <code>&lt;code&gt;</code>.</p>\n");
}

TEST(MarkdownToHtml, RawHtmlIsOmitted) {
  struct Case {
    const char* markdown;
    const char* forbidden;
  };
  for (const Case& c : {Case{"<script>alert(1)</script>\n", "<script"},
                        Case{"<img src=x onerror=alert(1)>\n", "<img"},
                        Case{"text <img src=x onerror=alert(1)> inline\n", "<img"},
                        Case{"<iframe src=\"https://evil\"></iframe>\n", "<iframe"},
                        Case{"a <b onmouseover=alert(1)>b</b>\n", "onmouseover"}}) {
    const std::string html = markdown_to_html(c.markdown);
    EXPECT_FALSE(contains(html, c.forbidden)) << c.markdown << " -> " << html;
    EXPECT_TRUE(contains(html, "<!-- raw HTML omitted -->")) << c.markdown << " -> " << html;
  }
}

TEST(MarkdownToHtml, DangerousLinkTargetsAreBlanked) {
  for (const char* markdown :
       {"[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](vbscript:msgbox(1))",
        "[x](data:text/html,<script>alert(1)</script>)", "![x](javascript:alert(1))",
        "![x](data:image/svg+xml,<svg onload=alert(1)>)", "<javascript:alert(1)>",
        "[x]\n\n[x]: javascript:alert(1)"}) {
    const std::string html = markdown_to_html(markdown);
    EXPECT_FALSE(contains(html, "href=\"javascript")) << markdown << " -> " << html;
    EXPECT_FALSE(contains(html, "src=\"javascript")) << markdown << " -> " << html;
    EXPECT_FALSE(contains(html, "=\"data:")) << markdown << " -> " << html;
    EXPECT_FALSE(contains(html, "=\"vbscript:")) << markdown << " -> " << html;
  }
  EXPECT_EQ(markdown_to_html("[x](javascript:alert(1))"), "<p><a href=\"\">x</a></p>\n");
}

TEST(MarkdownToHtml, WhitespaceInsideSchemeIsPercentEncoded) {
  const std::string html = markdown_to_html("[t](<java\tscript:alert(1)>)");
  EXPECT_TRUE(contains(html, "href=\"java%09script:alert(1)\"")) << html;
}

TEST(MarkdownToHtml, SafeLinksAreKept) {
  EXPECT_EQ(markdown_to_html("[a](https://example.com/?q=1&r=2) [b](mailto:x@y.z) [c](/rel)"),
            "<p><a href=\"https://example.com/?q=1&amp;r=2\">a</a> <a href=\"mailto:x@y.z\">b</a> "
            "<a href=\"/rel\">c</a></p>\n");
}

TEST(MarkdownToHtml, AttributeValuesAreEscaped) {
  const std::string html = markdown_to_html("[x](https://a.b/\"onmouseover=alert(1) \"t\\\"<>\")");
  EXPECT_FALSE(contains(html, "\" onmouseover")) << html;
  EXPECT_FALSE(contains(html, "<>")) << html;
}

TEST(MarkdownToHtml, Autolinks) {
  EXPECT_EQ(markdown_to_html("see www.example.com and https://a.b/c"),
            "<p>see <a href=\"http://www.example.com\">www.example.com</a> and "
            "<a href=\"https://a.b/c\">https://a.b/c</a></p>\n");
}

TEST(MarkdownToHtml, Tables) {
  EXPECT_EQ(markdown_to_html("| a | b |\n|---|--:|\n| 1 | <b>2</b> |\n"),
            "<table>\n<thead>\n<tr>\n<th>a</th>\n<th align=\"right\">b</th>\n</tr>\n</thead>\n"
            "<tbody>\n<tr>\n<td>1</td>\n<td align=\"right\"><!-- raw HTML omitted -->2"
            "<!-- raw HTML omitted --></td>\n</tr>\n</tbody>\n</table>\n");
}

TEST(MarkdownToHtml, TaskLists) {
  EXPECT_EQ(markdown_to_html("- [ ] todo\n- [x] done\n"),
            "<ul>\n<li><input type=\"checkbox\" disabled=\"\" /> todo</li>\n"
            "<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> done</li>\n</ul>\n");
}

TEST(MarkdownToHtml, Strikethrough) {
  EXPECT_EQ(markdown_to_html("~~gone~~"), "<p><del>gone</del></p>\n");
}

TEST(MarkdownToHtml, CodeBlocksAreEscaped) {
  EXPECT_EQ(markdown_to_html("```html\n<script>x</script>\n```\n"),
            "<pre><code class=\"language-html\">&lt;script&gt;x&lt;/script&gt;\n</code></pre>\n");
}

TEST(MarkdownToHtml, InvalidUtf8GivesValidUtf8) {
  const std::string html = markdown_to_html("bad \xFF\xC0 bytes\n");
  EXPECT_EQ(to_valid_utf8(html), html);
}

TEST(MarkdownToHtml, EmptyInput) { EXPECT_EQ(markdown_to_html(""), ""); }

TEST(MarkdownToHtml, ConcurrentThreadsGetTheSameResult) {
  const std::string markdown = "| a |\n|---|\n| ~~x~~ www.a.b |\n\n- [x] t\n";
  const std::string expected = markdown_to_html(markdown);
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) result = markdown_to_html(markdown);
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_EQ(result, expected);
}

}  // namespace
}  // namespace sillypaste::render
