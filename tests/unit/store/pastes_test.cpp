#include <gtest/gtest.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <set>
#include <string>
#include <vector>
#include <thread>

#include "store_test_support.hpp"

namespace sillypaste::store::testing {
namespace {

using PastesTest = StoreTest;

TEST_F(PastesTest, insert_then_read_round_trips_every_field) {
  const core::Id author = store_->create_user(make_user("Jürgen"));
  ASSERT_EQ(store_->sync_languages({"Python", "markdown"}), 2);
  const auto language = store_->language_by_name("markdown");
  ASSERT_TRUE(language.has_value());

  core::Paste paste =
      make_paste("Grüße 👋 \"quoted\" 'single'", "line 1\nline 2\r\n\ttab ünïcödé\n");
  paste.expiry = kNow + kHour;
  paste.is_private = true;
  paste.secret = "s3cretSlug";
  paste.legacy_id_access = true;
  paste.burn = false;
  paste.hits = 42;
  paste.freeze_hits = true;
  paste.size = 1234;
  paste.author_id = author;
  paste.language_id = language->id;
  paste.body_html = "<span class=\"line\">x</span>";
  paste.rendered_html = "<p>x</p>";
  const core::Id id = store_->insert_paste(paste);
  EXPECT_GT(id, 0);

  const auto view = store_->paste_by_id(id, kNow);
  ASSERT_TRUE(view.has_value());
  const core::Paste& got = view->paste;
  EXPECT_EQ(got.id, id);
  EXPECT_EQ(got.title, paste.title);
  EXPECT_EQ(got.body, paste.body);
  EXPECT_EQ(got.timestamp, paste.timestamp);
  EXPECT_EQ(got.expiry, paste.expiry);
  EXPECT_TRUE(got.is_private);
  EXPECT_EQ(got.secret, "s3cretSlug");
  EXPECT_TRUE(got.legacy_id_access);
  EXPECT_FALSE(got.burn);
  EXPECT_EQ(got.hits, 42);
  EXPECT_TRUE(got.freeze_hits);
  EXPECT_EQ(got.size, 1234);
  EXPECT_EQ(got.author_id, author);
  EXPECT_EQ(got.language_id, language->id);
  EXPECT_EQ(got.body_html, paste.body_html);
  EXPECT_EQ(got.rendered_html, paste.rendered_html);
  EXPECT_EQ(view->author_name, "Jürgen");
  EXPECT_FALSE(view->author_is_anonymous);
  EXPECT_EQ(view->language_name, "markdown");

  const auto by_secret = store_->paste_by_secret("s3cretSlug", kNow);
  ASSERT_TRUE(by_secret.has_value());
  EXPECT_EQ(by_secret->paste.id, id);
  EXPECT_FALSE(store_->paste_by_secret("S3CRETSLUG", kNow).has_value());
  EXPECT_FALSE(store_->paste_by_secret("", kNow).has_value());
}

// What insert_paste_then's callbacks were given.
class Written {
 public:
  Store::PasteWritten then() {
    return [this](core::Paste paste, const std::exception_ptr& error) {
      const std::lock_guard lock(mutex_);
      (error ? failed_ : written_).push_back(std::move(paste));
    };
  }
  std::vector<core::Paste> written() {
    const std::lock_guard lock(mutex_);
    return written_;
  }
  std::vector<core::Paste> failed() {
    const std::lock_guard lock(mutex_);
    return failed_;
  }

 private:
  std::mutex mutex_;
  std::vector<core::Paste> written_, failed_;
};

TEST_F(PastesTest, insert_paste_then_hands_back_the_paste_with_its_id_once_it_is_stored) {
  Written written;
  for (const char* title : {"first", "second", "third"}) {
    store_->insert_paste_then(make_paste(title, std::string("body of ") + title), written.then());
  }
  store_->finish_paste_inserts();
  const auto all = written.written();
  ASSERT_EQ(all.size(), 3U);
  EXPECT_TRUE(written.failed().empty());
  std::set<core::Id> ids;
  for (const core::Paste& paste : all) {
    const auto stored = store_->paste_by_id(paste.id, kNow);
    ASSERT_TRUE(stored.has_value()) << paste.title;
    EXPECT_EQ(stored->paste.title, paste.title);
    EXPECT_EQ(stored->paste.body, "body of " + paste.title);
    ids.insert(paste.id);
  }
  EXPECT_EQ(ids.size(), 3U);
}

TEST_F(PastesTest, insert_paste_then_hands_back_a_paste_it_could_not_store_with_the_error) {
  Written written;
  core::Paste orphan = make_paste("orphan", "its author does not exist");
  orphan.author_id = 987654;
  store_->insert_paste_then(orphan, written.then());
  store_->insert_paste_then(make_paste("fine", "stored"), written.then());
  store_->finish_paste_inserts();
  ASSERT_EQ(written.failed().size(), 1U);
  EXPECT_EQ(written.failed().front().title, "orphan");
  ASSERT_EQ(written.written().size(), 1U);
  EXPECT_EQ(store_->stats().paste_count, 1);
}

TEST_F(PastesTest, optional_fields_come_back_empty) {
  const core::Id id = store_->insert_paste(make_paste("plain"));
  const auto view = store_->paste_by_id(id, kNow);
  ASSERT_TRUE(view.has_value());
  EXPECT_FALSE(view->paste.expiry.has_value());
  EXPECT_TRUE(view->paste.secret.empty());
  EXPECT_FALSE(view->paste.author_id.has_value());
  EXPECT_FALSE(view->paste.language_id.has_value());
  EXPECT_FALSE(view->paste.rendered_html.has_value());
  EXPECT_TRUE(view->author_name.empty());
  EXPECT_TRUE(view->language_name.empty());
}

TEST_F(PastesTest, large_body_with_nul_free_binary_ish_text_round_trips) {
  std::string body;
  for (int i = 0; body.size() < 2'000'000; ++i) body += "line " + std::to_string(i) + " é\n";
  const core::Id id = store_->insert_paste(make_paste("big", body));
  const auto view = store_->paste_by_id(id, kNow);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->paste.body, body);
}

TEST_F(PastesTest, ids_are_never_reused_after_delete) {
  const core::Id first = store_->insert_paste(make_paste("a"));
  const core::Id second = store_->insert_paste(make_paste("b"));
  EXPECT_TRUE(store_->delete_paste(second));
  EXPECT_FALSE(store_->delete_paste(second));
  const core::Id third = store_->insert_paste(make_paste("c"));
  EXPECT_GT(second, first);
  EXPECT_GT(third, second);
}

TEST_F(PastesTest, expired_pastes_are_never_returned) {
  core::Paste paste = make_paste("soon");
  paste.expiry = kNow;
  paste.secret = "slug";
  const core::Id id = store_->insert_paste(paste);
  EXPECT_TRUE(store_->paste_by_id(id, kNow - 1).has_value());
  EXPECT_FALSE(store_->paste_by_id(id, kNow).has_value());  // expiry at now counts as expired
  EXPECT_FALSE(store_->paste_by_secret("slug", kNow + 1).has_value());
}

TEST_F(PastesTest, update_writes_fields_but_not_timestamp_or_hits) {
  core::Paste paste = make_paste("old");
  paste.hits = 5;
  const core::Id id = store_->insert_paste(paste);
  paste.id = id;
  paste.title = "new";
  paste.body = "new body";
  paste.timestamp = 1;
  paste.hits = 999;
  paste.is_private = true;
  paste.secret = "newslug";
  paste.rendered_html = "<p>r</p>";
  ASSERT_TRUE(store_->update_paste(paste));
  const auto view = store_->paste_by_id(id, kNow);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->paste.title, "new");
  EXPECT_EQ(view->paste.body, "new body");
  EXPECT_EQ(view->paste.timestamp, kNow - kHour);
  EXPECT_EQ(view->paste.hits, 5);
  EXPECT_EQ(view->paste.secret, "newslug");
  EXPECT_EQ(view->paste.rendered_html, "<p>r</p>");
  paste.id = id + 100;
  EXPECT_FALSE(store_->update_paste(paste));
}

TEST_F(PastesTest, duplicate_secret_is_a_store_error) {
  core::Paste paste = make_paste("a");
  paste.secret = "same";
  (void)store_->insert_paste(paste);
  EXPECT_THROW((void)store_->insert_paste(paste), StoreError);
}

// Creates from many threads at once are written in groups (one INSERT of several rows);
// each caller must still get the id of its own paste, and search must see every one.
TEST_F(PastesTest, concurrent_inserts_each_get_the_id_of_their_own_paste) {
  constexpr int kThreads = 8, kEach = 25;
  std::vector<std::vector<core::Id>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string tag = "t" + std::to_string(t) + "i" + std::to_string(i);
        core::Paste paste = make_paste("title " + tag, "body of zq" + tag + "qz");
        paste.hits = t * 1000 + i;
        if (i % 3 == 0) {
          paste.secret = "secret-" + tag;
          paste.is_private = true;
        }
        ids[static_cast<std::size_t>(t)].push_back(store_->insert_paste(paste));
      }
    });
  }
  for (auto& thread : threads) thread.join();

  std::set<core::Id> distinct;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(ids[static_cast<std::size_t>(t)].size(), static_cast<std::size_t>(kEach));
    for (int i = 0; i < kEach; ++i) {
      const core::Id id = ids[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)];
      distinct.insert(id);
      const std::string tag = "t" + std::to_string(t) + "i" + std::to_string(i);
      const auto view = store_->paste_by_id(id, kNow);
      ASSERT_TRUE(view.has_value()) << tag;
      EXPECT_EQ(view->paste.title, "title " + tag);
      EXPECT_EQ(view->paste.body, "body of zq" + tag + "qz");
      EXPECT_EQ(view->paste.hits, t * 1000 + i);
      EXPECT_EQ(view->paste.secret, i % 3 == 0 ? "secret-" + tag : "");
    }
  }
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kThreads * kEach));

  core::PasteQuery query;
  query.now = kNow;
  query.viewer.is_staff = true;
  query.search = "zqt5i17qz";
  const auto page = store_->list_pastes(query);
  ASSERT_EQ(page.items.size(), 1U);
  EXPECT_EQ(page.items[0].paste.id, ids[5][17]);
}

TEST_F(PastesTest, a_duplicate_secret_among_concurrent_inserts_fails_only_itself) {
  core::Paste taken = make_paste("first");
  taken.secret = "taken";
  (void)store_->insert_paste(taken);
  constexpr int kThreads = 6, kEach = 10;
  std::atomic<int> failed{0}, wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        core::Paste paste = make_paste("p" + std::to_string(t) + "-" + std::to_string(i));
        const bool duplicate = t == 2 && i == 4;
        if (duplicate) paste.secret = "taken";
        try {
          const core::Id id = store_->insert_paste(paste);
          const auto view = store_->paste_by_id(id, kNow);
          if (duplicate || !view || view->paste.title != paste.title) ++wrong;
        } catch (const StoreError&) {
          if (!duplicate) ++wrong;
          ++failed;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 1);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(store_->stats().paste_count, 1 + kThreads * kEach - 1);
}

TEST_F(PastesTest, take_paste_hands_a_burn_paste_to_exactly_one_of_two_threads) {
  for (int round = 0; round < 10; ++round) {
    core::Paste paste = make_paste("burn me");
    paste.burn = true;
    const core::Id id = store_->insert_paste(paste);
    std::atomic<int> got{0};
    std::atomic<int> errors{0};
    auto reader = [&] {
      try {
        if (store_->take_paste(id, kNow)) ++got;
      } catch (const StoreError&) {
        ++errors;
      }
    };
    std::thread a(reader), b(reader);
    a.join();
    b.join();
    EXPECT_EQ(got.load(), 1);
    EXPECT_EQ(errors.load(), 0);
    EXPECT_FALSE(store_->paste_by_id(id, kNow).has_value());
  }
}

TEST_F(PastesTest, take_paste_leaves_non_burn_and_expired_pastes_alone) {
  const core::Id normal = store_->insert_paste(make_paste("normal"));
  EXPECT_FALSE(store_->take_paste(normal, kNow).has_value());
  EXPECT_TRUE(store_->paste_by_id(normal, kNow).has_value());

  core::Paste burn = make_paste("old burn");
  burn.burn = true;
  burn.expiry = kNow - 1;
  const core::Id expired = store_->insert_paste(burn);
  EXPECT_FALSE(store_->take_paste(expired, kNow).has_value());
}

TEST_F(PastesTest, add_hits_adds_and_skips_frozen_pastes) {
  const core::Id counted = store_->insert_paste(make_paste("counted"));
  core::Paste frozen_paste = make_paste("frozen");
  frozen_paste.freeze_hits = true;
  frozen_paste.hits = 7;
  const core::Id frozen = store_->insert_paste(frozen_paste);
  store_->add_hits({{counted, 3}, {frozen, 5}, {counted, 2}, {counted + 1000, 1}});
  store_->add_hits({});
  EXPECT_EQ(store_->paste_by_id(counted, kNow)->paste.hits, 5);
  EXPECT_EQ(store_->paste_by_id(frozen, kNow)->paste.hits, 7);
}

TEST_F(PastesTest, concurrent_add_hits_lose_no_updates) {
  const core::Id id = store_->insert_paste(make_paste("popular"));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) store_->add_hits({{id, 1}});
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(store_->paste_by_id(id, kNow)->paste.hits, 100);
}

TEST_F(PastesTest, language_is_found_case_insensitively_and_joined) {
  ASSERT_EQ(store_->sync_languages({"C++"}), 1);
  core::Paste paste = make_paste("code");
  paste.language_id = store_->language_by_name("c++")->id;
  const core::Id id = store_->insert_paste(paste);
  EXPECT_EQ(store_->paste_by_id(id, kNow)->language_name, "C++");
}

TEST_F(PastesTest, readers_and_writers_of_two_stores_on_one_file_run_together) {
  auto second = open_store(url());  // as a cron `sillypaste expire` next to `serve` would
  std::atomic<int> errors{0};
  auto writer = [&](Store& store, int n) {
    for (int i = 0; i < n; ++i) {
      try {
        (void)store.insert_paste(make_paste("w" + std::to_string(i)));
        (void)store.expire(kNow, kNow - 1000 * kHour, 5);
      } catch (const StoreError&) {
        ++errors;
      }
    }
  };
  auto reader = [&](Store& store, int n) {
    core::PasteQuery q;
    q.now = kNow;
    for (int i = 0; i < n; ++i) {
      try {
        (void)store.list_pastes(q);
        (void)store.stats();
      } catch (const StoreError&) {
        ++errors;
      }
    }
  };
  std::thread a(writer, std::ref(*store_), 20), b(writer, std::ref(*second), 20);
  std::thread c(reader, std::ref(*store_), 40), d(reader, std::ref(*second), 40);
  a.join();
  b.join();
  c.join();
  d.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(store_->stats().paste_count, 40);
  EXPECT_EQ(store_->expiry_logs(100, 0).size(), 5U);
}

}  // namespace
}  // namespace sillypaste::store::testing

namespace sillypaste::store::testing {
namespace {

class PreparedLookupTest : public StoreTest {};

// Lookups reuse prepared statements; on SQLite a statement left open would pin its
// connection to an old snapshot, so a second store writing behind our back would go
// unseen and our own next write on that connection would fail.
TEST_F(PreparedLookupTest, a_lookup_leaves_its_connection_free_to_see_and_make_changes) {
  auto single = open_store(url(), 1);  // one connection: every call shares it
  core::Paste paste = make_paste("first", "one");
  paste.id = single->insert_paste(paste);
  core::Paste secret = make_paste("secret", "hidden");
  secret.is_private = true;
  secret.secret = "s3cret-slug-for-the-test";
  secret.id = single->insert_paste(secret);
  for (const char* body : {"two", "three"}) {
    ASSERT_TRUE(single->paste_by_id(paste.id, kNow).has_value());
    secret.body = body;
    ASSERT_TRUE(store_->update_paste(secret));  // another store, another connection
    // Another statement on the looked-up connection sees the change ...
    EXPECT_EQ(single->paste_by_secret(secret.secret, kNow)->paste.body, body);
    ASSERT_TRUE(single->paste_by_id(paste.id, kNow).has_value());
    // ... and the connection can still write.
    EXPECT_GT(single->insert_paste(make_paste(std::string("after ") + body)), secret.id);
  }
}

}  // namespace
}  // namespace sillypaste::store::testing
