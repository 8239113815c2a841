#include <gtest/gtest.h>

#include "store_test_support.hpp"

namespace sillypaste::store::testing {
namespace {

class ExpiryTest : public StoreTest {
 protected:
  static constexpr core::Micros kCutoff = kNow - 180 * 24 * kHour;
};

TEST_F(ExpiryTest, a_pass_larger_than_one_batch_deletes_every_due_paste_once_and_keeps_the_rest) {
  std::vector<core::Id> due_ids;
  std::vector<core::Id> kept_ids;
  for (int i = 0; i < 1234; ++i) {
    core::Paste paste = make_paste("p" + std::to_string(i));
    // Every seventh paste is not due, so batches span ids that must stay.
    paste.expiry = i % 7 == 3 ? kNow + kHour : kNow - kHour;
    const core::Id id = store_->insert_paste(paste);
    (i % 7 == 3 ? kept_ids : due_ids).push_back(id);
  }
  const ExpiryResult result = store_->expire(kNow, kCutoff, 200);
  EXPECT_EQ(result.expired_paste_ids, due_ids);
  EXPECT_EQ(result.log.paste_count, static_cast<std::int64_t>(due_ids.size()));
  for (const core::Id id : kept_ids) {
    EXPECT_TRUE(store_->paste_by_id(id, kNow).has_value()) << id;
  }
  EXPECT_FALSE(store_->paste_by_id(due_ids.back(), kNow - 10 * kHour).has_value());
  EXPECT_TRUE(store_->expire(kNow, kCutoff, 200).expired_paste_ids.empty());
}

TEST_F(ExpiryTest, deletes_due_pastes_and_stale_anonymous_users_and_logs_it) {
  core::Paste due = make_paste("due", "12345");  // size 8
  due.expiry = kNow;
  const core::Id due_id = store_->insert_paste(due);
  core::Paste overdue = make_paste("overdue", "1");  // size 8
  overdue.expiry = kNow - kHour;
  const core::Id overdue_id = store_->insert_paste(overdue);
  core::Paste later = make_paste("later");
  later.expiry = kNow + 1;
  const core::Id later_id = store_->insert_paste(later);
  const core::Id forever_id = store_->insert_paste(make_paste("forever"));

  core::User stale = make_user("stale", true);
  stale.date_joined = kCutoff - 2 * kHour;
  stale.last_login = kCutoff - 1;
  const core::Id stale_id = store_->create_user(stale);
  core::User joined_long_ago_but_active = make_user("active", true);
  joined_long_ago_but_active.date_joined = kCutoff - 2 * kHour;
  joined_long_ago_but_active.last_login = kCutoff;
  const core::Id active_id = store_->create_user(joined_long_ago_but_active);
  core::User never_logged_in = make_user("never", true);
  never_logged_in.date_joined = kCutoff - 1;
  const core::Id never_id = store_->create_user(never_logged_in);
  core::User registered = make_user("registered");
  registered.date_joined = kCutoff - 100 * kHour;
  const core::Id registered_id = store_->create_user(registered);

  core::Paste stale_paste = make_paste("stale's", "xx");  // size 9
  stale_paste.author_id = stale_id;
  const core::Id stale_paste_id = store_->insert_paste(stale_paste);
  core::Paste kept_paste = make_paste("registered's");
  kept_paste.author_id = registered_id;
  const core::Id kept_paste_id = store_->insert_paste(kept_paste);
  store_->create_session({"stale-session", stale_id, kNow - kHour, kNow + kHour});
  store_->create_session({"old-session", std::nullopt, kNow - 2 * kHour, kNow});
  store_->create_session({"live-session", std::nullopt, kNow - 2 * kHour, kNow + kHour});

  const ExpiryResult result = store_->expire(kNow, kCutoff, 200);
  EXPECT_EQ(result.expired_paste_ids, (std::vector<core::Id>{due_id, overdue_id, stale_paste_id}));
  EXPECT_EQ(result.reclaimed_bytes, 8 + 8 + 9);
  EXPECT_EQ(result.users_pruned, 2);
  EXPECT_GT(result.log.id, 0);
  EXPECT_EQ(result.log.expired_ids, std::to_string(due_id) + "," + std::to_string(overdue_id) +
                                        "," + std::to_string(stale_paste_id));
  EXPECT_EQ(result.log.timestamp, kNow);
  EXPECT_EQ(result.log.user_cutoff, kCutoff);
  EXPECT_EQ(result.log.paste_count, 3);
  EXPECT_EQ(result.log.reclaimed_space, 25);
  EXPECT_EQ(result.log.user_count, 2);
  EXPECT_TRUE(result.log.completed);

  for (const core::Id id : {due_id, overdue_id, stale_paste_id}) {
    EXPECT_FALSE(store_->paste_by_id(id, kNow - 10 * kHour).has_value()) << id;
  }
  for (const core::Id id : {later_id, forever_id, kept_paste_id}) {
    EXPECT_TRUE(store_->paste_by_id(id, kNow - 10 * kHour).has_value()) << id;
  }
  EXPECT_FALSE(store_->user_by_id(stale_id).has_value());
  EXPECT_FALSE(store_->user_by_id(never_id).has_value());
  EXPECT_TRUE(store_->user_by_id(active_id).has_value());
  EXPECT_TRUE(store_->user_by_id(registered_id).has_value());
  EXPECT_FALSE(store_->session("stale-session", kNow - 10 * kHour).has_value());
  EXPECT_FALSE(store_->session("old-session", kNow - 10 * kHour).has_value());
  EXPECT_TRUE(store_->session("live-session", kNow - 10 * kHour).has_value());

  const auto logs = store_->expiry_logs(10, 0);
  ASSERT_EQ(logs.size(), 1U);
  EXPECT_EQ(logs[0].id, result.log.id);
  EXPECT_EQ(logs[0].expired_ids, result.log.expired_ids);
  EXPECT_EQ(logs[0].user_cutoff, kCutoff);
  EXPECT_TRUE(logs[0].completed);

  const ExpiryResult again = store_->expire(kNow, kCutoff, 200);
  EXPECT_TRUE(again.expired_paste_ids.empty());
  EXPECT_EQ(again.log.paste_count, 0);
  EXPECT_EQ(again.log.expired_ids, "");
}

TEST_F(ExpiryTest, folds_logs_beyond_keep_logs_into_the_oldest_kept_one) {
  std::vector<core::Id> paste_ids;
  for (int pass = 0; pass < 5; ++pass) {
    core::Paste paste = make_paste("p" + std::to_string(pass), "x");  // size 3
    paste.expiry = kNow + pass;
    paste_ids.push_back(store_->insert_paste(paste));
    (void)store_->expire(kNow + pass, kCutoff, 3);
  }
  const auto logs = store_->expiry_logs(10, 0);  // newest first
  ASSERT_EQ(logs.size(), 3U);
  EXPECT_EQ(logs[0].timestamp, kNow + 4);
  EXPECT_EQ(logs[0].expired_ids, std::to_string(paste_ids[4]));
  EXPECT_EQ(logs[1].expired_ids, std::to_string(paste_ids[3]));
  const core::ExpiryLog& folded = logs[2];
  EXPECT_EQ(folded.timestamp, kNow + 2);
  EXPECT_EQ(folded.paste_count, 3);
  EXPECT_EQ(folded.reclaimed_space, 9);
  EXPECT_EQ(folded.expired_ids, std::to_string(paste_ids[0]) + "," + std::to_string(paste_ids[1]) +
                                    "," + std::to_string(paste_ids[2]));

  const auto page = store_->expiry_logs(1, 1);
  ASSERT_EQ(page.size(), 1U);
  EXPECT_EQ(page[0].id, logs[1].id);

  const core::Stats stats = store_->stats();
  EXPECT_EQ(stats.total_expired, 5);
  EXPECT_EQ(stats.total_reclaimed, 15);
  ASSERT_TRUE(stats.last_expiry.has_value());
  EXPECT_EQ(stats.last_expiry->id, logs[0].id);
}

TEST_F(ExpiryTest, stats_count_pastes_users_and_expiry_totals) {
  core::Stats empty = store_->stats();
  EXPECT_EQ(empty.paste_count, 0);
  EXPECT_EQ(empty.paste_bytes, 0);
  EXPECT_FALSE(empty.last_expiry.has_value());
  EXPECT_EQ(empty.total_expired, 0);

  (void)store_->insert_paste(make_paste("ab", "cd"));    // size 4
  (void)store_->insert_paste(make_paste("abc", "def"));  // size 6
  core::User old_anonymous = make_user("anon-old", true);
  old_anonymous.date_joined = kCutoff - 1;
  (void)store_->create_user(old_anonymous);
  (void)store_->create_user(make_user("anon-new", true));
  (void)store_->create_user(make_user("registered"));
  core::Stats before = store_->stats();
  EXPECT_EQ(before.paste_count, 2);
  EXPECT_EQ(before.paste_bytes, 10);
  EXPECT_EQ(before.anonymous_users, 2);
  EXPECT_EQ(before.registered_users, 1);

  (void)store_->expire(kNow, kCutoff, 200);
  const core::Stats after = store_->stats();
  EXPECT_EQ(after.anonymous_users, 1);
  EXPECT_EQ(after.total_users_pruned, 1);
  ASSERT_TRUE(after.last_expiry.has_value());
  EXPECT_EQ(after.last_expiry->user_count, 1);
}

}  // namespace
}  // namespace sillypaste::store::testing
