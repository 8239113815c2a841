// Searches answered from the trigram index alone (ASCII terms), the plan a page of them
// takes, and the deferred removal of deleted pastes from the index (migration 0004).
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "store_test_support.hpp"

namespace sillypaste::store::testing {
namespace {

class SearchIndexTest : public StoreTest {
 protected:
  [[nodiscard]] static core::PasteQuery search(std::string term, int limit = 100, int offset = 0) {
    core::PasteQuery q;
    q.now = kNow;
    q.limit = limit;
    q.offset = offset;
    q.search = std::move(term);
    return q;
  }

  [[nodiscard]] std::vector<std::string> titles(const core::PasteQuery& q) {
    std::vector<std::string> result;
    for (const auto& item : store_->list_pastes(q).items) result.push_back(item.paste.title);
    return result;
  }

  // Rows waiting in pastes_search_stale (SQLite only).
  [[nodiscard]] long long stale_entries() {
    soci::session sql(*soci::factory_sqlite3(), "db=\"" + (dir_ / "test.db").string() + "\"");
    long long count = 0;
    sql << "SELECT COUNT(*) FROM pastes_search_stale", soci::into(count);
    return count;
  }
};

TEST_F(SearchIndexTest, counts_and_pages_only_visible_matches_newest_first) {
  const core::Id owner = store_->create_user(make_user("owner"));
  std::vector<std::string> visible;  // newest first
  for (int i = 0; i < 40; ++i) {
    core::Paste paste = make_paste("p" + std::to_string(i),
                                   i % 2 == 0 ? "deploy KUBERNETES with it" : "nothing here");
    paste.timestamp = kNow - (100 - i) * kHour;
    if (i % 10 == 4) {
      paste.is_private = true;
      paste.author_id = owner;
    } else if (i % 10 == 6) {
      paste.expiry = kNow - 1;
    } else if (i % 10 == 8) {
      paste.burn = true;
    } else if (i % 2 == 0) {
      visible.insert(visible.begin(), paste.title);
    }
    (void)store_->insert_paste(paste);
  }
  ASSERT_EQ(visible.size(), 8U);

  // Many matches: the page walks the listing index; one match: the matches are sorted.
  const core::PastePage all = store_->list_pastes(search("kubernetes"));
  EXPECT_EQ(all.total, 8);
  EXPECT_EQ(titles(search("kubernetes")), visible);
  EXPECT_EQ(titles(search("Kubernetes", 3, 3)),
            (std::vector<std::string>(visible.begin() + 3, visible.begin() + 6)));
  EXPECT_EQ(store_->list_pastes(search("kubernetes", 3, 6)).items.size(), 2U);
  EXPECT_EQ(titles(search("p32")), (std::vector<std::string>{"p32"}));
  EXPECT_EQ(store_->list_pastes(search("p32")).total, 1);
  EXPECT_EQ(store_->list_pastes(search("zzz")).total, 0);

  // The owner also sees the private ones; a term with 'i' takes the verified path and
  // agrees.
  core::PasteQuery mine = search("kubernetes");
  mine.viewer.user_id = owner;
  EXPECT_EQ(store_->list_pastes(mine).total, 12);
  EXPECT_EQ(store_->list_pastes(search("kubernetes with it")).total, 8);
  EXPECT_EQ(store_->list_pastes(search("nothing here")).total, 20);
}

TEST_F(SearchIndexTest, an_exact_search_finds_titles_bodies_and_author_names) {
  const core::Id author = store_->create_user(make_user("Rollout-Team"));
  (void)store_->insert_paste(make_paste("ROLLOUT plan", "x"));
  (void)store_->insert_paste(make_paste("other", "the rollout went well"));
  core::Paste by_team = make_paste("by the team", "x");
  by_team.author_id = author;
  (void)store_->insert_paste(by_team);
  (void)store_->insert_paste(make_paste("roll out", "roll-out"));
  auto found = titles(search("rollout"));
  std::sort(found.begin(), found.end());
  EXPECT_EQ(found, (std::vector<std::string>{"ROLLOUT plan", "by the team", "other"}));
  EXPECT_EQ(store_->list_pastes(search("rollout")).total, 3);
}

TEST_F(SearchIndexTest, deleted_pastes_leave_searches_at_once_and_the_index_at_the_next_pass) {
  std::vector<core::Id> ids;
  for (int i = 0; i < 30; ++i) {
    core::Paste paste = make_paste("t" + std::to_string(i), "needle " + std::to_string(i));
    if (i < 10) {
      paste.expiry = kNow - kHour;
    }
    ids.push_back(store_->insert_paste(paste));
  }
  ASSERT_TRUE(store_->delete_paste(ids[29]));
  EXPECT_EQ(store_->list_pastes(search("needle")).total, 19);
  EXPECT_EQ(store_->list_pastes(search("needle", 100, 0)).items.size(), 19U);
  if (!on_postgres()) {
    EXPECT_EQ(stale_entries(), 1);
  }

  const ExpiryResult result = store_->expire(kNow, kNow - 1000 * kHour, 200);
  EXPECT_EQ(result.expired_paste_ids.size(), 10U);
  EXPECT_EQ(store_->list_pastes(search("needle")).total, 19);
  EXPECT_TRUE(titles(search("needle 5")).empty());
  if (!on_postgres()) {
    EXPECT_EQ(stale_entries(), 0);
  }
  // New pastes (new ids) are indexed as before.
  (void)store_->insert_paste(make_paste("fresh", "needle again"));
  EXPECT_EQ(titles(search("needle again")), (std::vector<std::string>{"fresh"}));
}

TEST_F(SearchIndexTest, a_pass_on_a_single_connection_lets_other_writers_through) {
  auto single = open_store(url(), 1);
  std::vector<core::Id> due;
  for (int i = 0; i < 300; ++i) {
    core::Paste paste = make_paste("d" + std::to_string(i), "due body");
    paste.expiry = kNow - kHour;
    due.push_back(single->insert_paste(paste));
  }
  std::vector<core::Id> created;
  std::thread writer([&] {
    for (int i = 0; i < 30; ++i) {
      created.push_back(single->insert_paste(make_paste("new" + std::to_string(i), "kept body")));
    }
  });
  const ExpiryResult result = single->expire(kNow, kNow - 1000 * kHour, 200);
  writer.join();
  EXPECT_EQ(result.expired_paste_ids, due);
  EXPECT_EQ(created.size(), 30U);
  EXPECT_EQ(single->list_pastes(search("kept body")).total, 30);
  EXPECT_EQ(single->list_pastes(search("due body")).total, 0);
}

}  // namespace
}  // namespace sillypaste::store::testing
