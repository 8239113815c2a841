#include "render/rendered_paste.hpp"

#include <gtest/gtest.h>

#include <string>

#include "render/highlight.hpp"
#include "render/markdown.hpp"

namespace sillypaste::render {
namespace {

TEST(IsRenderable, OnlyMarkdownAndOrgModeCaseInsensitive) {
  EXPECT_TRUE(is_renderable("markdown"));
  EXPECT_TRUE(is_renderable("Markdown"));
  EXPECT_TRUE(is_renderable("org-mode"));
  EXPECT_TRUE(is_renderable("ORG-MODE"));
  EXPECT_FALSE(is_renderable("Org Mode"));
  EXPECT_FALSE(is_renderable("Python"));
  EXPECT_FALSE(is_renderable(""));
}

TEST(RenderPaste, CodeHasHighlightedBodyAndNoRenderedView) {
  const RenderedPaste rendered = render_paste("print('<x>')\n", "Python");
  EXPECT_EQ(rendered.body_html, highlight_html("print('<x>')\n", "Python"));
  EXPECT_FALSE(rendered.rendered_html.has_value());
}

TEST(RenderPaste, MarkdownHasBothViews) {
  const std::string body = "# T\n\n<script>x</script>\n";
  const RenderedPaste rendered = render_paste(body, "markdown");
  EXPECT_EQ(rendered.body_html, highlight_html(body, "markdown"));
  ASSERT_TRUE(rendered.rendered_html.has_value());
  EXPECT_EQ(*rendered.rendered_html, markdown_to_html(body));
  EXPECT_EQ(rendered.rendered_html->find("<script"), std::string::npos);
}

TEST(RenderPaste, OrgModeHasPlainBodyAndRenderedView) {
  const RenderedPaste rendered = render_paste("* Head <b>\n", "org-mode");
  EXPECT_EQ(rendered.body_html, highlight_html("* Head <b>\n", "plain"));
  ASSERT_TRUE(rendered.rendered_html.has_value());
  EXPECT_NE(rendered.rendered_html->find("<h1"), std::string::npos) << *rendered.rendered_html;
  EXPECT_EQ(rendered.rendered_html->find("<b>"), std::string::npos) << *rendered.rendered_html;
}

}  // namespace
}  // namespace sillypaste::render
