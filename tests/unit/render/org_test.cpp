#include "render/org.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "render/html_escape.hpp"

namespace sillypaste::render {
namespace {

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

TEST(OrgToHtml, RendersHeadingsListsAndLinks) {
  const std::string html =
      org_to_html("* Heading\n- one\n- two\n\n[[https://example.com][site]] *bold*\n");
  EXPECT_TRUE(contains(html, "<h1 id=\"heading\">Heading</h1>")) << html;
  EXPECT_TRUE(contains(html, "<li>one</li>")) << html;
  EXPECT_TRUE(contains(html, "<a href=\"https://example.com\">site</a>")) << html;
  EXPECT_TRUE(contains(html, "<strong>bold</strong>")) << html;
}

TEST(OrgToHtml, OutputIsAFragmentNotADocument) {
  const std::string html = org_to_html("#+TITLE: t\nhello\n");
  EXPECT_FALSE(contains(html, "<html")) << html;
  EXPECT_FALSE(contains(html, "<head")) << html;
  EXPECT_TRUE(contains(html, "<p>hello</p>")) << html;
}

TEST(OrgToHtml, IncludeDoesNotReadFiles) {
  const std::string html = org_to_html("before\n#+INCLUDE: \"/etc/passwd\"\nafter\n");
  EXPECT_FALSE(contains(html, "root:")) << html;
  EXPECT_TRUE(contains(html, "after")) << html;
}

TEST(OrgToHtml, RawHtmlIsDropped) {
  for (const char* org : {"#+BEGIN_EXPORT html\n<script>alert(1)</script>\n#+END_EXPORT\n",
                          "#+HTML: <script>alert(1)</script>\n",
                          "inline @@html:<script>alert(1)</script>@@ snippet\n"}) {
    const std::string html = org_to_html(org);
    EXPECT_FALSE(contains(html, "<script")) << org << " -> " << html;
    EXPECT_FALSE(contains(html, "alert(1)")) << org << " -> " << html;
  }
}

TEST(OrgToHtml, UnsafeLinkTargetsAreReplacedByTheirText) {
  for (const char* org :
       {"[[javascript:alert(1)][x]]\n", "[[JaVaScRiPt:alert(1)][x]]\n",
        "[[vbscript:msgbox(1)][x]]\n", "[[data:text/html,<script>x</script>][x]]\n",
        "[[javascript:alert(1)]]\n"}) {
    const std::string html = org_to_html(org);
    EXPECT_FALSE(contains(html, "href=\"javascript")) << org << " -> " << html;
    EXPECT_FALSE(contains(html, "href=\"JaVaScRiPt")) << org << " -> " << html;
    EXPECT_FALSE(contains(html, "href=\"vbscript")) << org << " -> " << html;
    EXPECT_FALSE(contains(html, "href=\"data:")) << org << " -> " << html;
    EXPECT_FALSE(contains(html, "<script")) << org << " -> " << html;
  }
  EXPECT_TRUE(contains(org_to_html("[[javascript:alert(1)][label]]\n"), "label"));
}

TEST(OrgToHtml, SafeLinkTargetsAreKept) {
  const std::string html =
      org_to_html("[[http://a.b][h]] [[mailto:x@y.z][m]] [[/docs/x.html][r]]\n");
  EXPECT_TRUE(contains(html, "href=\"http://a.b\"")) << html;
  EXPECT_TRUE(contains(html, "href=\"mailto:x@y.z\"")) << html;
}

TEST(OrgToHtml, EventHandlerAttributesAreDropped) {
  const std::string html =
      org_to_html("#+ATTR_HTML: :onclick alert(1) :style color:red\n[[./img.png]]\n");
  EXPECT_FALSE(contains(html, "onclick")) << html;
  EXPECT_FALSE(contains(html, "style=")) << html;
  EXPECT_TRUE(contains(html, "<img src=\"./img.png\"")) << html;
}

TEST(OrgToHtml, SourceBlocksAreEscaped) {
  const std::string html = org_to_html("#+BEGIN_SRC html\n<script>alert(1)</script>\n#+END_SRC\n");
  EXPECT_FALSE(contains(html, "<script")) << html;
  EXPECT_TRUE(contains(html, "&lt;script&gt;")) << html;
}

TEST(OrgToHtml, InvalidUtf8StillRendersValidUtf8) {
  const std::string html = org_to_html("* bad \xFF bytes\n");
  EXPECT_EQ(to_valid_utf8(html), html);
  EXPECT_TRUE(contains(html, "<h1")) << html;
}

TEST(OrgToHtml, LargeInputDoesNotDeadlockOnPipes) {
  std::string org;
  while (org.size() < 512 * 1024) org += "- item with [[https://example.com][a link]] & <text>\n";
  const std::string html = org_to_html(org, std::chrono::seconds(60));
  EXPECT_TRUE(contains(html, "<ul>")) << html.substr(0, 200);
  EXPECT_GT(html.size(), org.size());
}

TEST(OrgToHtml, TimeoutGivesEscapedTextInPre) {
  const auto start = std::chrono::steady_clock::now();
  const std::string html = org_to_html("* <b>x</b> & y\n", std::chrono::milliseconds(1));
  EXPECT_EQ(html, "<pre>* &lt;b&gt;x&lt;/b&gt; &amp; y\n</pre>");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(OrgToHtml, FilterFileDeletedByTmpCleanerIsWrittenAgain) {
  ASSERT_TRUE(contains(org_to_html("x\n"), "<p>x</p>"));
  const char* tmp = std::getenv("TMPDIR");
  const std::filesystem::path directory = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().filename().string().starts_with("sillypaste-org-filter-" +
                                                     std::to_string(::getpid()) + "-")) {
      std::error_code ignored;
      std::filesystem::remove(entry.path(), ignored);
    }
  }
  const std::string html = org_to_html("[[javascript:alert(1)][x]] @@html:<b>@@\n");
  EXPECT_TRUE(contains(html, "<p>x"));
  EXPECT_FALSE(contains(html, "javascript")) << html;
  EXPECT_FALSE(contains(html, "<b>")) << html;
}

TEST(OrgToHtml, EmptyInput) { EXPECT_EQ(org_to_html(""), ""); }

}  // namespace
}  // namespace sillypaste::render
