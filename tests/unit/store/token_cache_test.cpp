#include "store/token_cache.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace sillypaste::store {
namespace {

using Clock = TokenCache::Clock;
using std::chrono::milliseconds;

constexpr std::string_view kKeyA = "0123456789abcdef0123456789abcdef01234567";
constexpr std::string_view kKeyB = "fedcba9876543210fedcba9876543210fedcba98";
constexpr std::string_view kKeyC = "00000000000000000000000000000000000000cc";

core::User user_named(std::string name, core::Id id) {
  core::User user;
  user.id = id;
  user.username = std::move(name);
  user.is_staff = true;
  return user;
}

class TokenCacheTest : public ::testing::Test {
 protected:
  Clock::time_point t0_ = Clock::now();
  TokenCache cache_{milliseconds(1000), 2};
};

TEST_F(TokenCacheTest, remembers_a_user_for_its_lifetime_only) {
  EXPECT_FALSE(cache_.find(kKeyA, t0_).has_value());
  cache_.remember(kKeyA, user_named("alice", 7), cache_.generation(), t0_);
  const auto found = cache_.find(kKeyA, t0_ + milliseconds(999));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, 7);
  EXPECT_EQ(found->username, "alice");
  EXPECT_TRUE(found->is_staff);
  EXPECT_FALSE(cache_.find(kKeyA, t0_ + milliseconds(1000)).has_value());
  EXPECT_EQ(cache_.size(), 0U);  // an expired entry is dropped when found
}

TEST_F(TokenCacheTest, finds_only_the_exact_token) {
  cache_.remember(kKeyA, user_named("alice", 7), cache_.generation(), t0_);
  EXPECT_FALSE(cache_.find(kKeyB, t0_).has_value());
  std::string one_off(kKeyA);
  one_off.back() = '8';
  EXPECT_FALSE(cache_.find(one_off, t0_).has_value());
  EXPECT_FALSE(cache_.find(kKeyA.substr(0, 39), t0_).has_value());
  EXPECT_FALSE(cache_.find("", t0_).has_value());
}

TEST_F(TokenCacheTest, a_clock_that_went_back_finds_nothing) {
  cache_.remember(kKeyA, user_named("alice", 7), cache_.generation(), t0_);
  EXPECT_FALSE(cache_.find(kKeyA, t0_ - milliseconds(1)).has_value());
}

TEST_F(TokenCacheTest, forget_all_forgets_every_user) {
  cache_.remember(kKeyA, user_named("alice", 7), cache_.generation(), t0_);
  cache_.remember(kKeyB, user_named("bob", 8), cache_.generation(), t0_);
  cache_.forget_all();
  EXPECT_FALSE(cache_.find(kKeyA, t0_).has_value());
  EXPECT_FALSE(cache_.find(kKeyB, t0_).has_value());
}

// A reader took the generation, then a write changed the user and forgot all, then the
// reader's answer (from before the write) arrives: it must not be kept.
TEST_F(TokenCacheTest, an_answer_read_before_a_write_is_not_remembered) {
  const auto before = cache_.generation();
  cache_.forget_all();
  cache_.remember(kKeyA, user_named("alice", 7), before, t0_);
  EXPECT_FALSE(cache_.find(kKeyA, t0_).has_value());
  cache_.remember(kKeyA, user_named("alice", 7), cache_.generation(), t0_);
  EXPECT_TRUE(cache_.find(kKeyA, t0_).has_value());
}

TEST_F(TokenCacheTest, when_full_drops_expired_users_first) {
  cache_.remember(kKeyA, user_named("alice", 7), cache_.generation(), t0_);
  cache_.remember(kKeyB, user_named("bob", 8), cache_.generation(), t0_ + milliseconds(500));
  const auto later = t0_ + milliseconds(1200);  // alice expired, bob not
  cache_.remember(kKeyC, user_named("carol", 9), cache_.generation(), later);
  EXPECT_EQ(cache_.size(), 2U);
  EXPECT_EQ(cache_.find(kKeyB, later)->id, 8);
  EXPECT_EQ(cache_.find(kKeyC, later)->id, 9);
}

TEST_F(TokenCacheTest, never_holds_more_than_its_capacity) {
  cache_.remember(kKeyA, user_named("alice", 7), cache_.generation(), t0_);
  cache_.remember(kKeyB, user_named("bob", 8), cache_.generation(), t0_);
  cache_.remember(kKeyC, user_named("carol", 9), cache_.generation(), t0_);
  EXPECT_LE(cache_.size(), 2U);
  EXPECT_EQ(cache_.find(kKeyC, t0_)->id, 9);  // the newest is kept
}

TEST_F(TokenCacheTest, remembering_a_token_again_replaces_its_user) {
  cache_.remember(kKeyA, user_named("alice", 7), cache_.generation(), t0_);
  cache_.remember(kKeyA, user_named("alice2", 7), cache_.generation(), t0_ + milliseconds(10));
  EXPECT_EQ(cache_.size(), 1U);
  EXPECT_EQ(cache_.find(kKeyA, t0_ + milliseconds(1005))->username, "alice2");
}

}  // namespace
}  // namespace sillypaste::store
