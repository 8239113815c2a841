#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "store/soci_store.hpp"
#include "store_test_support.hpp"

namespace sillypaste::store::testing {
namespace {

class ListingTest : public StoreTest {
 protected:
  [[nodiscard]] core::PasteQuery query() const {
    core::PasteQuery q;
    q.now = kNow;
    q.limit = 100;
    return q;
  }

  [[nodiscard]] std::set<std::string> titles(const core::PasteQuery& q) {
    std::set<std::string> result;
    for (const auto& item : store_->list_pastes(q).items) result.insert(item.paste.title);
    return result;
  }

  [[nodiscard]] std::vector<std::string> ordered_titles(core::SortField field, bool descending) {
    core::PasteQuery q = query();
    q.sort = {field, descending};
    std::vector<std::string> result;
    for (const auto& item : store_->list_pastes(q).items) result.push_back(item.paste.title);
    return result;
  }
};

TEST_F(ListingTest, hides_expired_burn_and_others_private_pastes) {
  const core::Id owner = store_->create_user(make_user("owner"));
  const core::Id other = store_->create_user(make_user("other"));
  core::Paste open = make_paste("public");
  open.author_id = other;
  (void)store_->insert_paste(open);
  core::Paste hidden = make_paste("private");
  hidden.is_private = true;
  hidden.secret = "slug";
  hidden.author_id = owner;
  (void)store_->insert_paste(hidden);
  core::Paste burn = make_paste("burn");
  burn.burn = true;
  (void)store_->insert_paste(burn);
  core::Paste expired = make_paste("expired");
  expired.expiry = kNow;
  (void)store_->insert_paste(expired);
  core::Paste later = make_paste("later");
  later.expiry = kNow + 1;
  (void)store_->insert_paste(later);

  core::PasteQuery q = query();
  EXPECT_EQ(titles(q), (std::set<std::string>{"public", "later"}));
  EXPECT_EQ(store_->list_pastes(q).total, 2);
  q.viewer.user_id = other;
  EXPECT_EQ(titles(q), (std::set<std::string>{"public", "later"}));
  q.viewer.user_id = owner;
  EXPECT_EQ(titles(q), (std::set<std::string>{"public", "private", "later"}));
  q.viewer = {std::nullopt, true};
  EXPECT_EQ(titles(q), (std::set<std::string>{"public", "private", "later"}));
  EXPECT_EQ(store_->list_pastes(q).total, 3);

  const auto top = store_->top_pastes(10, kNow);
  std::set<std::string> top_titles;
  for (const auto& item : top) top_titles.insert(item.paste.title);
  EXPECT_EQ(top_titles, (std::set<std::string>{"public", "later"}));
}

TEST_F(ListingTest, a_page_without_its_total_has_the_same_items_and_no_count) {
  for (int i = 0; i < 7; ++i) {
    store_->insert_paste(make_paste("p" + std::to_string(i)));
  }
  core::PasteQuery counted = query();
  counted.sort = {core::SortField::kTimestamp, true};
  counted.limit = 3;
  counted.offset = 2;
  core::PasteQuery uncounted = counted;
  uncounted.with_total = false;
  const auto with_count = store_->list_pastes(counted);
  const auto without = store_->list_pastes(uncounted);
  EXPECT_EQ(with_count.total, 7);
  EXPECT_EQ(without.total, 0);
  ASSERT_EQ(without.items.size(), 3U);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(without.items[i].paste.id, with_count.items[i].paste.id);
  }
  uncounted.offset = 7;
  EXPECT_TRUE(store_->list_pastes(uncounted).items.empty());
}

TEST_F(ListingTest, items_carry_names_but_no_bodies) {
  const core::Id author = store_->create_user(make_user("Alice"));
  ASSERT_EQ(store_->sync_languages({"Python"}), 1);
  core::Paste paste = make_paste("with body", "the body");
  paste.author_id = author;
  paste.language_id = store_->language_by_name("python")->id;
  paste.rendered_html = "<p>x</p>";
  (void)store_->insert_paste(paste);
  const auto page = store_->list_pastes(query());
  ASSERT_EQ(page.items.size(), 1U);
  EXPECT_TRUE(page.items[0].paste.body.empty());
  EXPECT_TRUE(page.items[0].paste.body_html.empty());
  EXPECT_FALSE(page.items[0].paste.rendered_html.has_value());
  EXPECT_EQ(page.items[0].author_name, "Alice");
  EXPECT_EQ(page.items[0].language_name, "Python");
}

TEST_F(ListingTest, filters_by_author_and_language) {
  const core::Id alice = store_->create_user(make_user("alice"));
  ASSERT_EQ(store_->sync_languages({"Python", "Rust"}), 2);
  const core::Id python = store_->language_by_name("Python")->id;
  core::Paste a = make_paste("alice python");
  a.author_id = alice;
  a.language_id = python;
  (void)store_->insert_paste(a);
  core::Paste b = make_paste("alice none");
  b.author_id = alice;
  (void)store_->insert_paste(b);
  core::Paste c = make_paste("nobody python");
  c.language_id = python;
  (void)store_->insert_paste(c);

  core::PasteQuery q = query();
  q.author_id = alice;
  EXPECT_EQ(titles(q), (std::set<std::string>{"alice python", "alice none"}));
  q.language_id = python;
  EXPECT_EQ(titles(q), (std::set<std::string>{"alice python"}));
  q.author_id.reset();
  EXPECT_EQ(titles(q), (std::set<std::string>{"alice python", "nobody python"}));
}

TEST_F(ListingTest, search_is_case_insensitive_over_title_body_and_author) {
  const core::Id jurgen = store_->create_user(make_user("Jürgen"));
  const core::Id anonymous = store_->create_user(make_user("anon-xyz", true));
  (void)store_->insert_paste(make_paste("Hello World"));
  (void)store_->insert_paste(make_paste("other", "body says HELLO"));
  core::Paste by_jurgen = make_paste("untitled");
  by_jurgen.author_id = jurgen;
  (void)store_->insert_paste(by_jurgen);
  core::Paste by_anonymous = make_paste("mystery");
  by_anonymous.author_id = anonymous;
  (void)store_->insert_paste(by_anonymous);
  (void)store_->insert_paste(make_paste("ÜBER", "x"));

  core::PasteQuery q = query();
  q.search = "hello";
  EXPECT_EQ(titles(q), (std::set<std::string>{"Hello World", "other"}));
  q.search = "JÜRG";
  EXPECT_EQ(titles(q), (std::set<std::string>{"untitled"}));
  EXPECT_EQ(store_->list_pastes(q).total, 1);
  q.search = "über";
  EXPECT_EQ(titles(q), (std::set<std::string>{"ÜBER"}));
  q.search = "anon-xyz";  // anonymous users' names are not searchable
  EXPECT_TRUE(titles(q).empty());
  EXPECT_EQ(store_->list_pastes(q).total, 0);
}

TEST_F(ListingTest, search_takes_percent_underscore_and_backslash_literally) {
  (void)store_->insert_paste(make_paste("100% sure"));
  (void)store_->insert_paste(make_paste("1000 sure"));
  (void)store_->insert_paste(make_paste("snake_case"));
  (void)store_->insert_paste(make_paste("snakeXcase"));
  (void)store_->insert_paste(make_paste("C:\\path"));
  (void)store_->insert_paste(make_paste("C:path"));
  core::PasteQuery q = query();
  q.search = "0%";
  EXPECT_EQ(titles(q), (std::set<std::string>{"100% sure"}));
  q.search = "e_c";
  EXPECT_EQ(titles(q), (std::set<std::string>{"snake_case"}));
  q.search = ":\\";
  EXPECT_EQ(titles(q), (std::set<std::string>{"C:\\path"}));
  q.search = "'; DROP TABLE pastes; --";
  EXPECT_TRUE(titles(q).empty());
  EXPECT_EQ(store_->list_pastes(query()).total, 6);
}

TEST_F(ListingTest, indexed_search_matches_like_a_scan_and_follows_changes) {
  const core::Id jurgen = store_->create_user(make_user("Jürgen"));
  (void)store_->insert_paste(make_paste("MİNİMAL", "x"));  // fold_case maps U+0130 to i
  (void)store_->insert_paste(make_paste("say \"quoted\" AND", "x"));
  (void)store_->insert_paste(make_paste("Ωmega Straße", "ΣΊΣΥΦΟΣ"));
  const core::Id edited = store_->insert_paste(make_paste("before", "old words"));
  const core::Id removed = store_->insert_paste(make_paste("removed", "gone body"));
  core::Paste by_jurgen = make_paste("nameless", "x");
  by_jurgen.author_id = jurgen;
  (void)store_->insert_paste(by_jurgen);

  core::PasteQuery q = query();
  q.search = "minimal";
  EXPECT_EQ(titles(q), (std::set<std::string>{"MİNİMAL"}));
  q.search = "İNİ";
  EXPECT_EQ(titles(q), (std::set<std::string>{"MİNİMAL"}));
  q.search = "\"QUOTED\" and";
  EXPECT_EQ(titles(q), (std::set<std::string>{"say \"quoted\" AND"}));
  q.search = "\"";
  EXPECT_EQ(titles(q), (std::set<std::string>{"say \"quoted\" AND"}));
  q.search = "ωMEGA";
  EXPECT_EQ(titles(q), (std::set<std::string>{"Ωmega Straße"}));
  q.search = "ίσυφ";
  EXPECT_EQ(titles(q), (std::set<std::string>{"Ωmega Straße"}));
  q.search = "ürgen";  // the author's name, not in any title or body
  EXPECT_EQ(titles(q), (std::set<std::string>{"nameless"}));
  q.search = "OLD WORD";
  EXPECT_EQ(titles(q), (std::set<std::string>{"before"}));

  core::Paste changed = store_->paste_by_id(edited, kNow)->paste;
  changed.title = "after";
  changed.body = "new text";
  ASSERT_TRUE(store_->update_paste(changed));
  ASSERT_TRUE(store_->delete_paste(removed));
  EXPECT_TRUE(titles(q).empty());
  q.search = "gone body";
  EXPECT_TRUE(titles(q).empty());
  q.search = "NEW TEXT";
  EXPECT_EQ(titles(q), (std::set<std::string>{"after"}));
  q.search = "w t";  // shorter than a trigram: a plain scan
  EXPECT_EQ(titles(q), (std::set<std::string>{"after"}));
}

TEST_F(ListingTest, search_of_three_or_more_characters_uses_the_text_index) {
  auto* soci_store = dynamic_cast<SociStore*>(store_.get());
  ASSERT_NE(soci_store, nullptr);
  for (int i = 0; i < 20; ++i) {
    (void)store_->insert_paste(make_paste("paste " + std::to_string(i), "some body"));
  }
  core::PasteQuery q = query();
  q.search = "Body";
  std::string plan;
  for (const auto& line : soci_store->explain_listing(q)) plan += line + "\n";
  if (on_postgres()) {
    EXPECT_NE(plan.find("pastes_body_trgm_idx"), std::string::npos) << plan;
    EXPECT_NE(plan.find("pastes_title_trgm_idx"), std::string::npos) << plan;
  } else {
    EXPECT_NE(plan.find("VIRTUAL TABLE INDEX"), std::string::npos) << plan;
    EXPECT_NE(plan.find("pastes_search"), std::string::npos) << plan;
  }
  q.search = "bo";
  plan.clear();
  for (const auto& line : soci_store->explain_listing(q)) plan += line + "\n";
  EXPECT_EQ(plan.find("pastes_search"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("trgm"), std::string::npos) << plan;
}

TEST_F(ListingTest, a_count_joins_authors_only_to_search_their_names) {
  auto* soci_store = dynamic_cast<SociStore*>(store_.get());
  ASSERT_NE(soci_store, nullptr);
  const core::Id author = store_->create_user(make_user("writer"));
  for (int i = 0; i < 20; ++i) {
    core::Paste paste = make_paste("paste " + std::to_string(i), "some body");
    paste.author_id = author;
    (void)store_->insert_paste(paste);
  }
  const auto count_plan = [&](const core::PasteQuery& q) {
    std::string plan;
    for (const auto& line : soci_store->explain_listing(q, SociStore::Explained::kCount)) {
      plan += line + "\n";
    }
    return plan;
  };
  const auto reads_users = [](const std::string& plan) {
    // SQLite names the alias ("SEARCH u USING ..."), PostgreSQL the table.
    return plan.find("SEARCH u ") != std::string::npos || plan.find("users") != std::string::npos;
  };
  core::PasteQuery q = query();
  q.viewer.user_id = author;
  std::string plan = count_plan(q);
  EXPECT_FALSE(reads_users(plan)) << plan;
  EXPECT_EQ(plan.find("languages"), std::string::npos) << plan;
  EXPECT_EQ(store_->list_pastes(q).total, 20);
  q.search = "wri";  // matches the author's name only; not an index-only search ('i')
  plan = count_plan(q);
  EXPECT_TRUE(reads_users(plan)) << plan;
  EXPECT_EQ(store_->list_pastes(q).total, 20);
}

TEST_F(ListingTest, sorts_by_every_field_with_id_as_tie_break) {
  const core::Id zed = store_->create_user(make_user("zed"));
  const core::Id amy = store_->create_user(make_user("amy"));
  ASSERT_EQ(store_->sync_languages({"Rust", "Awk"}), 2);
  const core::Id rust = store_->language_by_name("Rust")->id;
  const core::Id awk = store_->language_by_name("Awk")->id;

  core::Paste b = make_paste("b", "bb");  // id 1
  b.timestamp = kNow - 3 * kHour;
  b.hits = 10;
  b.size = 30;
  b.expiry = kNow + 2 * kHour;
  b.author_id = zed;
  b.language_id = rust;
  core::Paste a = make_paste("a", "a");  // id 2
  a.timestamp = kNow - 1 * kHour;
  a.hits = 30;
  a.size = 10;
  a.expiry = kNow + 1 * kHour;
  a.author_id = amy;
  a.language_id = awk;
  core::Paste c = make_paste("c", "ccc");  // id 3: no expiry, author or language
  c.timestamp = kNow - 2 * kHour;
  c.hits = 20;
  c.size = 20;
  for (const auto& paste : {b, a, c}) (void)store_->insert_paste(paste);

  using F = core::SortField;
  using V = std::vector<std::string>;
  EXPECT_EQ(ordered_titles(F::kId, false), (V{"b", "a", "c"}));
  EXPECT_EQ(ordered_titles(F::kId, true), (V{"c", "a", "b"}));
  EXPECT_EQ(ordered_titles(F::kTitle, false), (V{"a", "b", "c"}));
  EXPECT_EQ(ordered_titles(F::kTitle, true), (V{"c", "b", "a"}));
  EXPECT_EQ(ordered_titles(F::kTimestamp, true), (V{"a", "c", "b"}));
  EXPECT_EQ(ordered_titles(F::kTimestamp, false), (V{"b", "c", "a"}));
  EXPECT_EQ(ordered_titles(F::kHits, true), (V{"a", "c", "b"}));
  EXPECT_EQ(ordered_titles(F::kSize, false), (V{"a", "c", "b"}));
  // No expiry means never: after every date ascending, first descending.
  EXPECT_EQ(ordered_titles(F::kExpiry, false), (V{"a", "b", "c"}));
  EXPECT_EQ(ordered_titles(F::kExpiry, true), (V{"c", "b", "a"}));
  // No language / author sorts first ascending.
  EXPECT_EQ(ordered_titles(F::kLanguage, false), (V{"c", "a", "b"}));
  EXPECT_EQ(ordered_titles(F::kLanguage, true), (V{"b", "a", "c"}));
  EXPECT_EQ(ordered_titles(F::kAuthor, false), (V{"c", "a", "b"}));
  EXPECT_EQ(ordered_titles(F::kAuthor, true), (V{"b", "a", "c"}));

  core::Paste tie = make_paste("tie");  // same hits as a: id decides
  tie.hits = 30;
  (void)store_->insert_paste(tie);
  EXPECT_EQ(ordered_titles(F::kHits, true), (V{"tie", "a", "c", "b"}));
  EXPECT_EQ(ordered_titles(F::kHits, false), (V{"b", "c", "a", "tie"}));
}

TEST_F(ListingTest, pages_of_every_order_are_slices_of_the_whole_list) {
  const core::Id zed = store_->create_user(make_user("zed"));
  const core::Id amy = store_->create_user(make_user("amy"));
  ASSERT_EQ(store_->sync_languages({"Rust", "Awk"}), 2);
  const core::Id rust = store_->language_by_name("Rust")->id;
  for (int i = 0; i < 13; ++i) {
    core::Paste paste = make_paste("t" + std::to_string(i % 4), std::string(i % 5 + 1, 'x'));
    paste.timestamp = kNow - (i % 3) * kHour;  // ties everywhere: the id decides
    paste.hits = i % 4;
    if (i % 3 == 0) {
      paste.expiry = kNow + (i + 1) * kHour;
    }
    if (i % 2 == 0) {
      paste.author_id = i % 4 == 0 ? zed : amy;
      paste.language_id = rust;
    }
    (void)store_->insert_paste(paste);
  }
  using F = core::SortField;
  for (const F field : {F::kId, F::kTitle, F::kTimestamp, F::kExpiry, F::kHits, F::kSize,
                        F::kLanguage, F::kAuthor}) {
    for (const bool descending : {false, true}) {
      core::PasteQuery q = query();
      q.sort = {field, descending};
      std::vector<core::Id> whole, paged;
      for (const auto& item : store_->list_pastes(q).items) whole.push_back(item.paste.id);
      q.limit = 4;
      for (q.offset = 0; q.offset < 16; q.offset += 4) {
        for (const auto& item : store_->list_pastes(q).items) paged.push_back(item.paste.id);
      }
      EXPECT_EQ(whole.size(), 13U);
      EXPECT_EQ(paged, whole) << "sort field " << static_cast<int>(field) << " descending "
                              << descending;
    }
  }
}

TEST_F(ListingTest, paginates_with_total_of_all_matches) {
  for (int i = 0; i < 7; ++i) (void)store_->insert_paste(make_paste("p" + std::to_string(i)));
  core::PasteQuery q = query();
  q.sort = {core::SortField::kId, false};
  q.limit = 3;
  q.offset = 3;
  const auto page = store_->list_pastes(q);
  EXPECT_EQ(page.total, 7);
  ASSERT_EQ(page.items.size(), 3U);
  EXPECT_EQ(page.items[0].paste.title, "p3");
  EXPECT_EQ(page.items[2].paste.title, "p5");
  q.offset = 6;
  EXPECT_EQ(store_->list_pastes(q).items.size(), 1U);
  q.offset = 50;
  const auto past_end = store_->list_pastes(q);
  EXPECT_TRUE(past_end.items.empty());
  EXPECT_EQ(past_end.total, 7);
}

TEST_F(ListingTest, top_pastes_are_ordered_by_hits_and_limited) {
  for (int i = 0; i < 5; ++i) {
    core::Paste paste = make_paste("h" + std::to_string(i));
    paste.hits = i * 10;
    (void)store_->insert_paste(paste);
  }
  const auto top = store_->top_pastes(3, kNow);
  ASSERT_EQ(top.size(), 3U);
  EXPECT_EQ(top[0].paste.title, "h4");
  EXPECT_EQ(top[2].paste.title, "h2");
  EXPECT_TRUE(top[0].paste.body.empty());
}

}  // namespace
}  // namespace sillypaste::store::testing
