#include "render/highlight.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "render/html_escape.hpp"

namespace sillypaste::render {
namespace {

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

std::size_t line_count(const std::string& html) {
  return static_cast<std::size_t>(std::count(html.begin(), html.end(), '\n')) + 1;
}

// The highlighted HTML with every tag removed: what the reader sees, still escaped.
std::string text_only(const std::string& html) {
  std::string text;
  bool in_tag = false;
  for (const char c : html) {
    if (c == '<') in_tag = true;
    if (!in_tag) text.push_back(c);
    if (c == '>') in_tag = false;
  }
  return text;
}

TEST(HighlightHtml, UnknownLanguageGivesEscapedPlainLines) {
  EXPECT_EQ(highlight_html("a < b\n\"c\" & 'd'", "no-such-language"),
            "a &lt; b\n&quot;c&quot; &amp; &#39;d&#39;");
}

TEST(HighlightHtml, EmptyLanguageIsPlain) { EXPECT_EQ(highlight_html("int x;", ""), "int x;"); }

TEST(HighlightHtml, OrgModeIsPlain) {
  EXPECT_EQ(highlight_html("* <b>heading</b>", "org-mode"), "* &lt;b&gt;heading&lt;/b&gt;");
}

TEST(HighlightHtml, NoneIsPlain) { EXPECT_EQ(highlight_html("x", "None"), "x"); }

TEST(HighlightHtml, TrailingNewlineDoesNotAddAnEmptyLine) {
  EXPECT_EQ(highlight_html("one\ntwo\n", "plain"), "one\ntwo");
}

TEST(HighlightHtml, InnerAndDoubleTrailingEmptyLinesAreKept) {
  EXPECT_EQ(highlight_html("a\n\nb\n\n", "plain"), "a\n\nb\n");
}

TEST(HighlightHtml, EmptyBodyIsOneEmptyLine) {
  EXPECT_EQ(highlight_html("", "plain"), "");
  EXPECT_EQ(highlight_html("\n", "Python"), "");
}

TEST(HighlightHtml, CarriageReturnsOfCrlfLinesAreDropped) {
  EXPECT_EQ(highlight_html("a\r\nb\r\n", "plain"), "a\nb");
}

TEST(HighlightHtml, CppKeywordsTypesNumbersAndCommentsGetClasses) {
  const std::string html = highlight_html("int main() { return 0; } // done\n", "C++");
  EXPECT_NE(html.find("<span class=\"dt\">int</span>"), std::string::npos) << html;
  EXPECT_NE(html.find("<span class=\"cf\">return</span>"), std::string::npos) << html;
  EXPECT_NE(html.find("<span class=\"dv\">0</span>"), std::string::npos) << html;
  EXPECT_NE(html.find("<span class=\"co\">// done</span>"), std::string::npos) << html;
  EXPECT_EQ(text_only(html), "int main() { return 0; } // done");
}

TEST(HighlightHtml, LanguageNameIsCaseInsensitive) {
  const std::string expected = highlight_html("def f(): pass", "Python");
  EXPECT_NE(expected.find("<span class=\"kw\">def</span>"), std::string::npos) << expected;
  EXPECT_EQ(highlight_html("def f(): pass", "python"), expected);
  EXPECT_EQ(highlight_html("def f(): pass", "PYTHON"), expected);
}

TEST(HighlightHtml, MultiLineStateCarriesAcrossLines) {
  const std::string html = highlight_html("/* start\nstill comment */ int x;", "C");
  EXPECT_NE(html.find("<span class=\"co\">still comment */</span>"), std::string::npos) << html;
}

// Each thread reuses its highlighter for a language: a body left inside a comment must
// not turn the next body of that language into one.
TEST(HighlightHtml, StateDoesNotCarryFromOneBodyToTheNext) {
  const std::string fresh = highlight_html("int x;", "C");
  ASSERT_NE(fresh.find("<span class=\"dt\">int</span>"), std::string::npos) << fresh;
  const std::string unfinished = highlight_html("/* never closed", "C");
  ASSERT_NE(unfinished.find("<span class=\"co\">"), std::string::npos) << unfinished;
  EXPECT_EQ(highlight_html("int x;", "C"), fresh);
}

// Lines with non-ASCII text take another path (UTF-16 offsets are not byte offsets).
TEST(HighlightHtml, NonAsciiLinesKeepTheirTokensAndText) {
  const std::string html =
      highlight_html("s = 'h\xC3\xA9llo \xF0\x9F\x98\x80' # caf\xC3\xA9 <b>\nn = 1", "Python");
  EXPECT_NE(html.find("<span class=\"st\">&#39;h\xC3\xA9llo \xF0\x9F\x98\x80&#39;</span>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<span class=\"co\"># caf\xC3\xA9 &lt;b&gt;</span>"), std::string::npos)
      << html;
  EXPECT_EQ(text_only(html),
            "s = &#39;h\xC3\xA9llo \xF0\x9F\x98\x80&#39; # caf\xC3\xA9 &lt;b&gt;\nn = 1");
}

TEST(HighlightHtml, MarkdownUsesTheMarkdownDefinition) {
  const std::string html = highlight_html("# Title\n\n**bold**", "markdown");
  EXPECT_NE(html.find("<span class="), std::string::npos) << html;
}

TEST(HighlightHtml, ScriptTagsAreEscapedInEveryLanguage) {
  const std::string body =
      "<script>alert('x')</script>\n\"<img src=x onerror=alert(1)>\" // </code>\n";
  for (const char* language : {"C++", "Python", "JavaScript", "HTML", "XML", "markdown", "Bash",
                               "PHP (HTML)", "JSON", "SQL", "org-mode", "unknown", ""}) {
    const std::string html = highlight_html(body, language);
    EXPECT_EQ(html.find("<script"), std::string::npos) << language;
    EXPECT_EQ(html.find("<img"), std::string::npos) << language;
    EXPECT_EQ(line_count(html), 2u) << language;
    EXPECT_EQ(count(html, "<span"), count(html, "</span>")) << language;
    EXPECT_EQ(text_only(html),
              "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\n"
              "&quot;&lt;img src=x onerror=alert(1)&gt;&quot; // &lt;/code&gt;")
        << language;
  }
}

TEST(HighlightHtml, InvalidUtf8BecomesReplacementCharacters) {
  const std::string body = "x = \"\xFF\xC0\xAF\"\n\x80\xE2\x9C\n";
  for (const char* language : {"Python", "plain"}) {
    const std::string html = highlight_html(body, language);
    EXPECT_EQ(to_valid_utf8(html), html) << language;
    EXPECT_NE(html.find("\xEF\xBF\xBD"), std::string::npos) << language;
  }
}

TEST(HighlightHtml, NulBytesDoNotTruncate) {
  const std::string body("a\0b", 3);
  EXPECT_EQ(text_only(highlight_html(body, "C")), body);
}

TEST(HighlightHtml, TwoMegabyteBodyInOneLineAndManyLines) {
  const std::string long_line(2 * 1024 * 1024, 'x');
  const auto start = std::chrono::steady_clock::now();
  const std::string html = highlight_html(long_line, "C++");
  EXPECT_EQ(line_count(html), 1u);
  EXPECT_NE(html.find(long_line), std::string::npos);

  std::string long_code_line;
  while (long_code_line.size() < 2 * 1024 * 1024)
    long_code_line += "int f(int a) { return a * 2; } /* \"<x>\" */ ";
  for (const char* language : {"C++", "Python", "JavaScript", "HTML", "markdown"}) {
    EXPECT_EQ(line_count(highlight_html(long_code_line, language)), 1u) << language;
  }

  // Lines just under the plain-text cutoff in a definition that is slow on long lines.
  std::string slow;
  while (slow.size() < 2 * 1024 * 1024) slow += long_code_line.substr(0, 9'000) + "\n";
  EXPECT_EQ(line_count(highlight_html(slow, "TypeScript React (TSX)")),
            static_cast<std::size_t>(std::count(slow.begin(), slow.end(), '\n')));

  std::string many;
  while (many.size() < 2 * 1024 * 1024) many += "int f(int a) { return a * 2; } // \"<x>\"\n";
  const std::string many_html = highlight_html(many, "C++");
  EXPECT_EQ(line_count(many_html),
            static_cast<std::size_t>(std::count(many.begin(), many.end(), '\n')));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

TEST(HighlightHtml, VeryLongLinesArePlainButOtherLinesStillHighlighted) {
  const std::string long_line(20'000, '1');
  const std::string html = highlight_html("int a;\n" + long_line + "\nint b;\n", "C");
  EXPECT_EQ(count(html, "<span class=\"dt\">int</span>"), 2u) << html.substr(0, 300);
  EXPECT_NE(html.find("\n" + long_line + "\n"), std::string::npos);
}

TEST(HighlightHtml, ConcurrentThreadsGetTheSameResult) {
  const std::string body = "fn main() { let s = \"<x>\"; println!(\"{}\", s); }\n";
  const std::string expected = highlight_html(body, "Rust");
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) result = highlight_html(body, "Rust");
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_EQ(result, expected);
}

TEST(HighlighterLanguages, SortedAndWithoutMarkdownOrNone) {
  const auto languages = highlighter_languages();
  EXPECT_GT(languages.size(), 200u);
  EXPECT_TRUE(std::is_sorted(languages.begin(), languages.end()));
  EXPECT_EQ(std::adjacent_find(languages.begin(), languages.end()), languages.end());
  for (const char* absent : {"Markdown", "markdown", "None", "Alerts", "Modelines"}) {
    EXPECT_EQ(std::find(languages.begin(), languages.end(), absent), languages.end()) << absent;
  }
  for (const char* present :
       {"C", "C++", "Python", "JavaScript", "Rust", "Go", "Bash", "JSON", "YAML"}) {
    EXPECT_NE(std::find(languages.begin(), languages.end(), present), languages.end()) << present;
  }
}

TEST(HighlighterLanguages, EveryListedLanguageHighlights) {
  for (const auto& language : highlighter_languages()) {
    const std::string html = highlight_html("x <y> \"z\" // 1\n", language);
    EXPECT_EQ(html.find("<y>"), std::string::npos) << language;
  }
}

}  // namespace
}  // namespace sillypaste::render
