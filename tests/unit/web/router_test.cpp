#include "web/router.hpp"

#include <gtest/gtest.h>

namespace sillypaste::web {
namespace {

TEST(Router, MatchesEveryPage) {
  EXPECT_EQ(match_route("/")->page, Page::kHome);
  EXPECT_EQ(match_route("/paste/")->page, Page::kPasteNew);
  EXPECT_EQ(match_route("/12/")->page, Page::kPasteShow);
  EXPECT_EQ(match_route("/12/")->id, 12);
  EXPECT_EQ(match_route("/12/raw/")->page, Page::kPasteRaw);
  EXPECT_EQ(match_route("/12/render/")->page, Page::kPasteRender);
  EXPECT_EQ(match_route("/12/edit/")->page, Page::kPasteEdit);
  EXPECT_EQ(match_route("/12/delete/")->page, Page::kPasteDelete);
  EXPECT_EQ(match_route("/s/AbC-_9/")->page, Page::kSecretShow);
  EXPECT_EQ(match_route("/s/AbC-_9/raw/")->argument, "AbC-_9");
  EXPECT_EQ(match_route("/static/style.css")->argument, "style.css");
  EXPECT_EQ(match_route("/health/dashboard/")->page, Page::kHealthDashboard);
}

TEST(Router, RefusesWhatIsNotThere) {
  for (const auto* path : {"/12", "/012/", "/-1/", "/12/raw/x/", "/12/bogus/", "/s//",
                           "/s/a.b/", "/static/../x", "/static/", "/static/a/b", "/99999999999999999999/",
                           "/abc/", "/12//", "/s/abc//", "/12//raw/", "/12/raw//"}) {
    EXPECT_FALSE(match_route(path)) << path;
  }
}

}  // namespace
}  // namespace sillypaste::web
