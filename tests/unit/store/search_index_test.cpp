// Searches answered from the trigram index alone (ASCII terms), the plan a page of them
// takes, the deferred removal of deleted pastes from the index (migration 0004) and the
// deferred indexing of new ones (migration 0005) and how the index merges (0006).
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

  // Puts every paste into the trigram index, as serve's SearchIndexer does in the background.
  void index_all() {
    (void)store_->index_search_backlog(1'000'000);
    ASSERT_EQ(store_->search_backlog(), 0);
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
  index_all();

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
  index_all();
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
  index_all();
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
  // New pastes (new ids) are found before and after they are indexed.
  (void)store_->insert_paste(make_paste("fresh", "needle again"));
  EXPECT_EQ(titles(search("needle again")), (std::vector<std::string>{"fresh"}));
  index_all();
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
  (void)single->index_search_backlog(1'000'000);
  const ExpiryResult result = single->expire(kNow, kNow - 1000 * kHour, 200);
  writer.join();
  EXPECT_EQ(result.expired_paste_ids, due);
  EXPECT_EQ(created.size(), 30U);
  EXPECT_EQ(single->list_pastes(search("kept body")).total, 30);
  EXPECT_EQ(single->list_pastes(search("due body")).total, 0);
}

// Migration 0005: a create leaves its paste out of the trigram index; searches read such
// pastes directly, so they find the same rows before and after the index catches up.
TEST_F(SearchIndexTest, new_pastes_are_found_before_the_index_catches_up) {
  for (int i = 0; i < 6; ++i) {
    (void)store_->insert_paste(make_paste("old" + std::to_string(i), "rollout of Kubernetes"));
  }
  index_all();
  (void)store_->insert_paste(make_paste("new ROLLOUT", "x"));
  (void)store_->insert_paste(make_paste("new body", "a kubernetes rollout"));
  (void)store_->insert_paste(make_paste("new other", "nothing to see"));
  if (!on_postgres()) {
    EXPECT_EQ(store_->search_backlog(), 3);
  }
  // "rollout" takes the index-only path, "kubernetes" the one checked with LIKE ('i').
  const auto before_exact = titles(search("rollout"));
  const auto before_checked = titles(search("kubernetes"));
  EXPECT_EQ(before_exact.size(), 8U);
  EXPECT_EQ(store_->list_pastes(search("rollout")).total, 8);
  EXPECT_EQ(before_checked.size(), 7U);
  EXPECT_EQ(store_->list_pastes(search("Kubernetes")).total, 7);
  EXPECT_EQ(before_exact.front(), "new body");  // newest first
  EXPECT_TRUE(titles(search("see")).size() == 1U);

  index_all();
  EXPECT_EQ(titles(search("rollout")), before_exact);
  EXPECT_EQ(titles(search("kubernetes")), before_checked);
}

TEST_F(SearchIndexTest, the_backlog_s_size_follows_writes_and_indexing) {
  if (on_postgres()) {
    EXPECT_EQ(store_->search_backlog_size().pastes, 0);
    EXPECT_EQ(store_->search_backlog_size().bytes, 0);
    return;
  }
  // Sizes 100 + i (title "p<i>" of 2 or 3 bytes plus a body making up the rest).
  std::vector<core::Id> ids;
  long long written = 0;
  for (int i = 0; i < 12; ++i) {
    const std::string title = "p" + std::to_string(i);
    ids.push_back(store_->insert_paste(
        make_paste(title, std::string(static_cast<std::size_t>(100 + i) - title.size(), 'x'))));
    written += 100 + i;
  }
  SearchBacklog backlog = store_->search_backlog_size();
  EXPECT_EQ(backlog.pastes, 12);
  EXPECT_EQ(backlog.bytes, written);

  (void)store_->index_search_backlog(5);  // sizes 100..104 indexed
  backlog = store_->search_backlog_size();
  EXPECT_EQ(backlog.pastes, 7);
  EXPECT_EQ(backlog.bytes, written - (100 + 101 + 102 + 103 + 104));

  (void)store_->insert_paste(make_paste("late", std::string(996, 'y')));  // 1,000 bytes
  backlog = store_->search_backlog_size();
  EXPECT_EQ(backlog.pastes, 8);
  EXPECT_EQ(backlog.bytes, written - 510 + 1'000);

  // A paste deleted before it was indexed still counts until the backlog empties.
  ASSERT_TRUE(store_->delete_paste(ids[11]));
  EXPECT_EQ(store_->search_backlog_size().bytes, written - 510 + 1'000);
  (void)store_->index_search_backlog(1'000);
  backlog = store_->search_backlog_size();
  EXPECT_EQ(backlog.pastes, 0);
  EXPECT_EQ(backlog.bytes, 0);

  (void)store_->insert_paste(make_paste("again", std::string(45, 'z')));  // 50 bytes
  backlog = store_->search_backlog_size();
  EXPECT_EQ(backlog.pastes, 1);
  EXPECT_EQ(backlog.bytes, 50);
}

TEST_F(SearchIndexTest, indexing_goes_in_batches_and_keeps_up_with_edits_and_deletes) {
  if (on_postgres()) {
    GTEST_SKIP() << "PostgreSQL indexes in the writing transaction: no backlog";
  }
  std::vector<core::Id> ids;
  for (int i = 0; i < 10; ++i) {
    ids.push_back(store_->insert_paste(make_paste("p" + std::to_string(i), "first text")));
  }
  EXPECT_EQ(store_->search_backlog(), 10);
  EXPECT_EQ(store_->index_search_backlog(4), 6);
  EXPECT_EQ(store_->search_backlog(), 6);

  // Edited and deleted on both sides of the mark: ids[1] and ids[2] are indexed, ids[7]
  // and ids[8] are not. Unindexed ones leave nothing to take out of the index.
  core::Paste edited = store_->paste_by_id(ids[1], kNow)->paste;
  edited.body = "second text";
  ASSERT_TRUE(store_->update_paste(edited));
  edited = store_->paste_by_id(ids[7], kNow)->paste;
  edited.body = "second text";
  ASSERT_TRUE(store_->update_paste(edited));
  ASSERT_TRUE(store_->delete_paste(ids[2]));
  ASSERT_TRUE(store_->delete_paste(ids[8]));
  EXPECT_EQ(stale_entries(), 1);

  EXPECT_EQ(store_->index_search_backlog(1'000), 0);
  EXPECT_EQ(store_->list_pastes(search("second text")).total, 2);
  EXPECT_EQ(store_->list_pastes(search("first text")).total, 6);
  EXPECT_EQ(store_->list_pastes(search("text")).total, 8);
  (void)store_->expire(kNow, kNow - 1000 * kHour, 200);
  EXPECT_EQ(stale_entries(), 0);
  // The index agrees with the rows: FTS5's own consistency check.
  soci::session sql(*soci::factory_sqlite3(), "db=\"" + (dir_ / "test.db").string() + "\"");
  EXPECT_NO_THROW(sql << "INSERT INTO pastes_search (pastes_search, rank) "
                         "VALUES ('integrity-check', 1)");
}

// Migration 0006: merging eight segments at a time makes indexing cheaper (see the file).
TEST_F(SearchIndexTest, the_trigram_index_merges_eight_segments_at_a_time) {
  if (on_postgres()) {
    GTEST_SKIP() << "SQLite's FTS5 setting; PostgreSQL's GIN index has none";
  }
  soci::session sql(*soci::factory_sqlite3(), "db=\"" + (dir_ / "test.db").string() + "\"");
  int automerge = 0;
  sql << "SELECT v FROM pastes_search_config WHERE k = 'automerge'", soci::into(automerge);
  EXPECT_EQ(automerge, 8);
}

TEST_F(SearchIndexTest, an_import_leaves_no_backlog) {
  auto target = open_store(fresh_url("imported"));
  target->migrate();
  {
    auto bulk = target->begin_import();
    for (int i = 0; i < 5; ++i) {
      core::Paste paste = make_paste("imported " + std::to_string(i), "rollout text");
      paste.id = 100 + i;
      (void)bulk->insert_paste(paste);
    }
    bulk->commit();
  }
  EXPECT_EQ(target->search_backlog(), 0);
  EXPECT_EQ(target->list_pastes(search("rollout")).total, 5);
}

}  // namespace
}  // namespace sillypaste::store::testing
