// PostgreSQL only: several processes (here: several stores) on one database, and
// connections that the server drops. Skipped unless SILLYPASTE_TEST_POSTGRES is set.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "store_test_support.hpp"

namespace sillypaste::store::testing {
namespace {

class PostgresTest : public StoreTest {
 protected:
  void SetUp() override {
    if (!on_postgres()) {
      GTEST_SKIP() << "set SILLYPASTE_TEST_POSTGRES to run the PostgreSQL tests";
    }
    StoreTest::SetUp();
  }

  // What a server restart does to every open connection of this database.
  void drop_all_connections() {
    soci::session admin(*soci::factory_postgresql(), postgresql_connect_string(url()));
    admin << "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
             "WHERE datname = current_database() AND pid <> pg_backend_pid()";
  }
};

TEST_F(PostgresTest, every_connection_is_reopened_after_the_server_drops_them) {
  const core::Id id = store_->insert_paste(make_paste("before"));
  drop_all_connections();
  ASSERT_TRUE(store_->paste_by_id(id, kNow).has_value());
  drop_all_connections();
  const core::Id next = store_->insert_paste(make_paste("after"));
  EXPECT_GT(next, id);
  drop_all_connections();
  core::PasteQuery query;
  query.now = kNow;
  EXPECT_EQ(store_->list_pastes(query).total, 2);
}

TEST_F(PostgresTest, ids_are_not_reused_after_deletes) {
  const core::Id first = store_->insert_paste(make_paste("first"));
  const core::Id second = store_->insert_paste(make_paste("second"));
  ASSERT_TRUE(store_->delete_paste(second));
  EXPECT_GT(store_->insert_paste(make_paste("third")), second);
  EXPECT_GT(second, first);
}

TEST_F(PostgresTest, concurrent_expiry_passes_of_two_stores_delete_each_paste_once) {
  constexpr int kPastes = 60;
  std::set<core::Id> expected;
  for (int i = 0; i < kPastes; ++i) {
    core::Paste paste = make_paste("due " + std::to_string(i));
    paste.expiry = kNow - kHour;
    expected.insert(store_->insert_paste(paste));
  }
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < 4; ++i) {
    stores.push_back(open_store(url(), 2));
  }
  std::vector<ExpiryResult> results(stores.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < stores.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = stores[i]->expire(kNow, kNow - 1000 * kHour, 0); });
  }
  for (auto& thread : threads) thread.join();

  std::multiset<core::Id> deleted;
  for (const auto& result : results) {
    deleted.insert(result.expired_paste_ids.begin(), result.expired_paste_ids.end());
  }
  EXPECT_EQ(std::set<core::Id>(deleted.begin(), deleted.end()), expected);
  EXPECT_EQ(deleted.size(), expected.size()) << "a paste was deleted twice";
  std::int64_t logged = 0;
  for (const auto& log : store_->expiry_logs(10, 0)) {
    logged += log.paste_count;
  }
  EXPECT_EQ(logged, kPastes);
}

TEST_F(PostgresTest, hits_from_two_stores_add_up) {
  const core::Id id = store_->insert_paste(make_paste("popular"));
  auto other = open_store(url(), 2);
  auto count = [id](Store& store) {
    for (int i = 0; i < 50; ++i) {
      store.add_hits({{id, 1}});
    }
  };
  std::thread a(count, std::ref(*store_));
  std::thread b(count, std::ref(*other));
  a.join();
  b.join();
  EXPECT_EQ(store_->paste_by_id(id, kNow)->paste.hits, 100);
}

TEST_F(PostgresTest, same_username_from_two_stores_is_created_once) {
  auto other = open_store(url(), 2);
  std::atomic<int> created{0}, duplicates{0};
  auto create = [&](Store& store) {
    try {
      (void)store.create_user(make_user("Race"));
      ++created;
    } catch (const DuplicateUsername&) {
      ++duplicates;
    }
  };
  std::thread a(create, std::ref(*store_));
  std::thread b(create, std::ref(*other));
  a.join();
  b.join();
  EXPECT_EQ(created, 1);
  EXPECT_EQ(duplicates, 1);
}

}  // namespace
}  // namespace sillypaste::store::testing
