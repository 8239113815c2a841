#include "render/html_escape.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sillypaste::render {
namespace {

TEST(EscapeHtml, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(escape_html(R"(<a href="x" title='y'>&</a>)"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
}

TEST(EscapeHtml, LeavesOtherTextAlone) {
  EXPECT_EQ(escape_html(""), "");
  EXPECT_EQ(escape_html("plain text, ünïcödé ✓"), "plain text, ünïcödé ✓");
}

TEST(EscapeHtml, AppendKeepsExistingContent) {
  std::string out = "<b>";
  append_escaped_html(out, "1 < 2");
  EXPECT_EQ(out, "<b>1 &lt; 2");
}

TEST(EscapeHtml, DoesNotDoubleDecodeEntities) {
  EXPECT_EQ(escape_html("&lt;script&gt;"), "&amp;lt;script&amp;gt;");
}

TEST(ToValidUtf8, KeepsValidUtf8) {
  const std::string valid = "a\xC3\xA9\xE2\x9C\x93\xF0\x9F\x98\x80z";  // a é ✓ 😀 z
  EXPECT_EQ(to_valid_utf8(valid), valid);
}

TEST(ToValidUtf8, ReplacesEachInvalidByteWithReplacementCharacter) {
  const std::string_view kFffd = "\xEF\xBF\xBD";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"\x80", std::string(kFffd)},  // stray continuation
      {"a\xFF"
       "b",
       "a" + std::string(kFffd) + "b"},                                    // never valid
      {"\xC0\xAF", std::string(kFffd) + std::string(kFffd)},               // overlong '/'
      {"\xED\xA0\x80", std::string(kFffd) + kFffd.data() + kFffd.data()},  // surrogate
      {"\xF4\x90\x80\x80", std::string(kFffd) + kFffd.data() + kFffd.data() + kFffd.data()},
      {"\xE2\x9C", std::string(kFffd) + std::string(kFffd)},  // truncated at end
  };
  for (const auto& [input, expected] : cases) {
    EXPECT_EQ(to_valid_utf8(input), expected) << "input size " << input.size();
  }
}

}  // namespace
}  // namespace sillypaste::render
