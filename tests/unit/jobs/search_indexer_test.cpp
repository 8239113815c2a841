// serve's SearchIndexer on a real database: it catches up once writes stop, and does not
// wait for them to stop once the backlog is at its bound.
#include "jobs/search_indexer.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "../store/store_test_support.hpp"

namespace sillypaste::store::testing {
namespace {

using namespace std::chrono_literals;

class SearchIndexerTest : public StoreTest {
 protected:
  void insert(int count) {
    for (int i = 0; i < count; ++i) {
      (void)store_->insert_paste(make_paste("p" + std::to_string(i), "indexed body"));
    }
  }

  // Polls the backlog until it is at most `most`, for up to 20 s; the backlog left.
  long long wait_for_backlog(long long most) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    long long backlog = store_->search_backlog();
    while (backlog > most && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
      backlog = store_->search_backlog();
    }
    return backlog;
  }
};

TEST_F(SearchIndexerTest, indexes_everything_once_writes_stop) {
  insert(120);
  if (!on_postgres()) {
    ASSERT_EQ(store_->search_backlog(), 120);
  }
  {
    jobs::SearchIndexer indexer(*store_, {.idle = 5ms, .poll = 20ms, .batch = 50});
    EXPECT_EQ(wait_for_backlog(0), 0);
    insert(30);  // later writes are picked up too
    EXPECT_EQ(wait_for_backlog(0), 0);
  }
  core::PasteQuery query;
  query.now = kNow;
  query.search = "indexed body";
  EXPECT_EQ(store_->list_pastes(query).total, 150);
}

TEST_F(SearchIndexerTest, a_backlog_at_its_bound_is_indexed_without_waiting_for_quiet) {
  if (on_postgres()) {
    GTEST_SKIP() << "PostgreSQL has no backlog";
  }
  insert(100);
  // Writes "never" stop (idle of an hour): only the bound makes it index, down to it.
  jobs::SearchIndexer indexer(*store_,
                              {.idle = 3600s, .poll = 10ms, .max_backlog = 40, .batch = 10});
  EXPECT_LT(wait_for_backlog(39), 40);
}

TEST_F(SearchIndexerTest, a_backlog_at_its_size_bound_is_indexed_without_waiting_for_quiet) {
  if (on_postgres()) {
    GTEST_SKIP() << "PostgreSQL has no backlog";
  }
  // 100 pastes of 1,000 bytes; a bound of 40,000 bytes is at 40 of them, far below the
  // bound in pastes.
  for (int i = 0; i < 100; ++i) {
    const std::string title = "big" + std::to_string(i);
    (void)store_->insert_paste(make_paste(title, std::string(1'000 - title.size(), 'b')));
  }
  jobs::SearchIndexer indexer(*store_, {.idle = 3600s,
                                        .poll = 10ms,
                                        .max_backlog = 1'000'000,
                                        .max_backlog_bytes = 40'000,
                                        .batch = 10});
  EXPECT_LT(wait_for_backlog(39), 40);
  EXPECT_LT(store_->search_backlog_size().bytes, 40'000);
}

TEST_F(SearchIndexerTest, stops_promptly_when_there_is_nothing_to_do) {
  const auto started = std::chrono::steady_clock::now();
  { jobs::SearchIndexer indexer(*store_, {.idle = 5ms, .poll = 3600s}); }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

}  // namespace
}  // namespace sillypaste::store::testing
