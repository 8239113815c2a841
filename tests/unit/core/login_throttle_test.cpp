#include "core/login_throttle.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace sillypaste::core {
namespace {

constexpr Micros kMinute = 60 * kMicrosPerSecond;

TEST(LoginThrottle, blocks_at_the_tenth_failure_within_the_window) {
  LoginThrottle throttle;
  const Micros start = 1'000'000'000;
  for (int i = 0; i < 9; ++i) {
    EXPECT_FALSE(throttle.blocked("user:alice", start + i * kMicrosPerSecond));
    throttle.record_failure("user:alice", start + i * kMicrosPerSecond);
  }
  EXPECT_FALSE(throttle.blocked("user:alice", start + 9 * kMicrosPerSecond));
  throttle.record_failure("user:alice", start + 9 * kMicrosPerSecond);
  EXPECT_TRUE(throttle.blocked("user:alice", start + 10 * kMicrosPerSecond));
  EXPECT_FALSE(throttle.blocked("user:bob", start + 10 * kMicrosPerSecond));
  EXPECT_FALSE(throttle.blocked("ip:127.0.0.1", start + 10 * kMicrosPerSecond));
}

TEST(LoginThrottle, lifts_once_failures_leave_the_window) {
  LoginThrottle throttle;
  const Micros start = 1'000'000'000;
  for (int i = 0; i < 10; ++i) {
    throttle.record_failure("ip:10.0.0.1", start + i * kMicrosPerSecond);
  }
  EXPECT_TRUE(throttle.blocked("ip:10.0.0.1", start + 4 * kMinute));
  // The first failure leaves the window after five minutes: nine remain.
  EXPECT_FALSE(throttle.blocked("ip:10.0.0.1", start + 5 * kMinute));
  EXPECT_FALSE(throttle.blocked("ip:10.0.0.1", start + 6 * kMinute));
}

TEST(LoginThrottle, failures_spread_wider_than_the_window_never_block) {
  LoginThrottle throttle;
  Micros t = 0;
  for (int i = 0; i < 100; ++i) {
    throttle.record_failure("user:slow", t);
    EXPECT_FALSE(throttle.blocked("user:slow", t));
    t += kMinute;
  }
}

TEST(LoginThrottle, reset_forgets_a_key) {
  LoginThrottle throttle(3, kMinute);
  for (int i = 0; i < 3; ++i) {
    throttle.record_failure("user:carol", i);
  }
  EXPECT_TRUE(throttle.blocked("user:carol", 3));
  throttle.reset("user:carol");
  EXPECT_FALSE(throttle.blocked("user:carol", 4));
  throttle.reset("user:nobody");
}

TEST(LoginThrottle, says_how_long_until_the_block_lifts) {
  LoginThrottle throttle(3, 5 * kMinute);
  for (int i = 0; i < 3; ++i) {
    throttle.record_failure("ip:10.0.0.9", i * kMinute);
  }
  const auto refused = throttle.check("ip:10.0.0.9", 2 * kMinute);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 3 * kMinute);  // the first failure leaves at 5 minutes
}

TEST(LoginThrottle, zero_failures_means_never_blocked) {
  LoginThrottle throttle(0, kMinute);
  for (int i = 0; i < 100; ++i) {
    throttle.record_failure("user:dave", i);
  }
  EXPECT_FALSE(throttle.blocked("user:dave", 100));
  EXPECT_EQ(throttle.size(), 0u);
}

TEST(LoginThrottle, memory_is_bounded) {
  LoginThrottle throttle(10, kMinute, 1000);
  for (int i = 0; i < 5000; ++i) {
    throttle.record_failure("ip:" + std::to_string(i), i);
  }
  EXPECT_EQ(throttle.size(), 1000u);
  // Keys idle for a whole window are pruned on the next failure.
  throttle.record_failure("ip:late", 10 * kMinute);
  EXPECT_EQ(throttle.size(), 1u);
}

TEST(LoginThrottle, is_safe_across_threads) {
  LoginThrottle throttle(1000, kMinute);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&throttle] {
      for (int i = 0; i < 250; ++i) {
        throttle.record_failure("user:shared", i);
        static_cast<void>(throttle.blocked("user:shared", i));
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_TRUE(throttle.blocked("user:shared", 300));
}

}  // namespace
}  // namespace sillypaste::core
