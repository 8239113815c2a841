#include "core/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace sillypaste::core {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kMinute = 60 * kSecond;
constexpr Micros kStart = 1'700'000'000 * kSecond;

TEST(RateLimiter, allows_the_limit_then_refuses_with_the_time_until_the_oldest_leaves) {
  RateLimiter limiter(5, kMinute);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(limiter.acquire("10.0.0.1", kStart + i * kSecond).allowed) << i;
  }
  const auto refused = limiter.acquire("10.0.0.1", kStart + 10 * kSecond);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 50 * kSecond);
  EXPECT_EQ(refused.retry_after_seconds(), 50);
}

TEST(RateLimiter, a_refused_event_is_not_counted) {
  RateLimiter limiter(2, kMinute);
  EXPECT_TRUE(limiter.acquire("k", kStart).allowed);
  EXPECT_TRUE(limiter.acquire("k", kStart + kSecond).allowed);
  for (int i = 0; i < 100; ++i) {
    EXPECT_FALSE(limiter.acquire("k", kStart + 2 * kSecond + i).allowed);
  }
  EXPECT_EQ(limiter.stored_events(), 2u);
  // Once the first event leaves the window exactly one more is allowed.
  EXPECT_TRUE(limiter.acquire("k", kStart + kMinute).allowed);
  EXPECT_FALSE(limiter.acquire("k", kStart + kMinute).allowed);
}

TEST(RateLimiter, the_window_slides) {
  RateLimiter limiter(3, kMinute);
  for (Micros t : {0, 20, 40}) {
    ASSERT_TRUE(limiter.acquire("k", kStart + t * kSecond).allowed);
  }
  EXPECT_FALSE(limiter.acquire("k", kStart + 59 * kSecond).allowed);
  EXPECT_TRUE(limiter.acquire("k", kStart + 60 * kSecond).allowed);   // 0 left
  EXPECT_FALSE(limiter.acquire("k", kStart + 79 * kSecond).allowed);  // 20, 40, 60 inside
  const auto refused = limiter.acquire("k", kStart + 79 * kSecond);
  EXPECT_EQ(refused.retry_after, kSecond);  // 20 leaves at 80
  EXPECT_TRUE(limiter.acquire("k", kStart + 80 * kSecond).allowed);
}

TEST(RateLimiter, keys_are_independent) {
  RateLimiter limiter(1, kMinute);
  EXPECT_TRUE(limiter.acquire("10.0.0.1", kStart).allowed);
  EXPECT_FALSE(limiter.acquire("10.0.0.1", kStart).allowed);
  EXPECT_TRUE(limiter.acquire("10.0.0.2", kStart).allowed);
}

TEST(RateLimiter, a_limit_of_zero_allows_everything_and_stores_nothing) {
  RateLimiter limiter(0, kMinute);
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(limiter.acquire("k", kStart).allowed);
    limiter.record("k", kStart);
  }
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiter, check_counts_nothing_and_record_counts_past_the_limit) {
  RateLimiter limiter(3, kMinute);
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(limiter.check("user:a", kStart).allowed);
  }
  for (int i = 0; i < 5; ++i) {
    limiter.record("user:a", kStart + i * kSecond);
  }
  const auto refused = limiter.check("user:a", kStart + 5 * kSecond);
  EXPECT_FALSE(refused.allowed);
  // Only the newest three count: the third newest (at 2 s) leaves at 62 s.
  EXPECT_EQ(refused.retry_after, 57 * kSecond);
  EXPECT_EQ(limiter.stored_events(), 3u);
  limiter.reset("user:a");
  EXPECT_TRUE(limiter.check("user:a", kStart + 5 * kSecond).allowed);
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiter, times_arriving_out_of_order_are_still_counted_in_order) {
  RateLimiter limiter(2, kMinute);
  limiter.record("k", kStart + 10 * kSecond);
  limiter.record("k", kStart);  // a request that began earlier finished later
  const auto refused = limiter.check("k", kStart + 20 * kSecond);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 40 * kSecond);
  EXPECT_TRUE(limiter.check("k", kStart + kMinute).allowed);
}

TEST(RateLimiter, retry_after_is_whole_seconds_rounded_up_and_at_least_one) {
  EXPECT_EQ((RateDecision{false, 1}).retry_after_seconds(), 1);
  EXPECT_EQ((RateDecision{false, kSecond}).retry_after_seconds(), 1);
  EXPECT_EQ((RateDecision{false, kSecond + 1}).retry_after_seconds(), 2);
  EXPECT_EQ((RateDecision{false, 0}).retry_after_seconds(), 1);
}

TEST(RateLimiter, a_clock_set_back_never_asks_to_wait_longer_than_the_window) {
  RateLimiter limiter(1, kMinute);
  ASSERT_TRUE(limiter.acquire("k", kStart).allowed);
  const auto refused = limiter.acquire("k", kStart - 3600 * kSecond);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, kMinute);
}

TEST(RateLimiter, idle_keys_are_pruned) {
  RateLimiter limiter(5, kMinute);
  for (int i = 0; i < 1000; ++i) {
    (void)limiter.acquire("10.0." + std::to_string(i), kStart);
  }
  EXPECT_EQ(limiter.size(), 1000u);
  (void)limiter.acquire("late", kStart + kMinute);
  EXPECT_EQ(limiter.size(), 1u);
  EXPECT_EQ(limiter.stored_events(), 1u);
}

TEST(RateLimiter, the_number_of_keys_is_bounded_dropping_the_least_recently_active) {
  RateLimiter limiter(5, kMinute, 100);
  for (int i = 0; i < 5000; ++i) {
    (void)limiter.acquire("ip:" + std::to_string(i), kStart + i);
  }
  EXPECT_EQ(limiter.size(), 100u);
  // The newest keys are kept: the last one is still counted.
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(limiter.acquire("ip:4999", kStart + 5000).allowed);
  }
  EXPECT_FALSE(limiter.acquire("ip:4999", kStart + 5000).allowed);
}

TEST(RateLimiter, the_number_of_stored_times_is_bounded) {
  RateLimiter limiter(50, kMinute, 100'000, 1000);
  for (int i = 0; i < 200; ++i) {
    for (int j = 0; j < 50; ++j) {
      (void)limiter.acquire("ip:" + std::to_string(i), kStart + i);
    }
  }
  EXPECT_LE(limiter.stored_events(), 1000u);
  EXPECT_EQ(limiter.size(), 20u);
}

TEST(RateLimiter, one_key_at_its_limit_always_fits) {
  RateLimiter limiter(500, kMinute, 100'000, 10);
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(limiter.acquire("k", kStart).allowed) << i;
  }
  EXPECT_FALSE(limiter.acquire("k", kStart).allowed);
}

TEST(RateLimiter, is_exact_across_threads) {
  RateLimiter limiter(1000, kMinute);
  std::vector<std::thread> threads;
  std::vector<int> allowed(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&limiter, &allowed, t] {
      for (int i = 0; i < 250; ++i) {
        allowed[t] += limiter.acquire("shared", kStart + i).allowed ? 1 : 0;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  int total = 0;
  for (int n : allowed) {
    total += n;
  }
  EXPECT_EQ(total, 1000);
}

struct AddressCase {
  std::string address;
  std::string key;
};

class AddressKey : public testing::TestWithParam<AddressCase> {};

TEST_P(AddressKey, groups_ipv6_by_64_and_keeps_ipv4) {
  EXPECT_EQ(address_key(GetParam().address), GetParam().key);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AddressKey,
    testing::Values(AddressCase{"127.0.0.1", "127.0.0.1"},
                    AddressCase{"203.0.113.7", "203.0.113.7"},
                    AddressCase{"::ffff:203.0.113.7", "203.0.113.7"},
                    AddressCase{"2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"},
                    AddressCase{"2001:db8:1:2::1", "2001:db8:1:2::/64"},
                    AddressCase{"::1", "::/64"},
                    AddressCase{"not an address", "not an address"},
                    AddressCase{"", ""},
                    AddressCase{std::string(10'000, 'x'), std::string(64, 'x')}));

}  // namespace
}  // namespace sillypaste::core
