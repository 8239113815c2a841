#include "store/quick_reads.hpp"

#include <gtest/gtest.h>

#include "store/bulk_import.hpp"
#include "store_test_support.hpp"

namespace sillypaste::store::testing {
namespace {

class QuickReadsTest : public StoreTest {};

TEST_F(QuickReadsTest, scope_is_per_thread_and_nests) {
  EXPECT_FALSE(QuickReadScope::active());
  {
    const QuickReadScope outer;
    EXPECT_TRUE(QuickReadScope::active());
    {
      const QuickReadScope inner;
      EXPECT_TRUE(QuickReadScope::active());
    }
    EXPECT_TRUE(QuickReadScope::active());
  }
  EXPECT_FALSE(QuickReadScope::active());
}

TEST_F(QuickReadsTest, quick_lookups_read_sqlite_and_never_wait_for_postgresql) {
  const auto id = store_->insert_paste(make_paste("quick", "the body"));
  const QuickReadScope quick;
  if (on_postgres()) {
    EXPECT_THROW((void)store_->paste_by_id(id, kNow), WouldWait);
    return;
  }
  const auto view = store_->paste_by_id(id, kNow);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->paste.body, "the body");
  EXPECT_FALSE(store_->paste_by_id(id + 1000, kNow).has_value());
}

TEST_F(QuickReadsTest, a_quick_lookup_gives_up_when_no_connection_is_free) {
  if (on_postgres()) GTEST_SKIP() << "PostgreSQL lookups are never quick (tested above)";
  auto single = open_store(url(), 1);
  const auto id = single->insert_paste(make_paste("busy"));
  {
    const auto import = single->begin_import();  // holds the only pooled connection
    const QuickReadScope quick;
    EXPECT_THROW((void)single->paste_by_id(id, kNow), WouldWait);
    EXPECT_THROW((void)single->paste_by_secret("no-such-secret", kNow), WouldWait);
  }
  const QuickReadScope quick;
  EXPECT_TRUE(single->paste_by_id(id, kNow).has_value()) << "free again once given back";
}

}  // namespace
}  // namespace sillypaste::store::testing
