#include "web/response_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace sillypaste::web {
namespace {

constexpr core::Micros kSecond = 1'000'000;

http::Response page(std::string body, unsigned status = 200) {
  http::Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

// A build function that counts its calls and answers `body` (TOKEN marks the CSRF token).
struct Builder {
  std::atomic<int> calls{0};
  std::string body = "<p>list</p><input value=\"TOKEN\">";
  unsigned status = 200;
  core::Micros now = 0;

  std::function<ResponseCache::EntryPtr(std::uint64_t)> fn() {
    return [this](std::uint64_t generation) {
      ++calls;
      return ResponseCache::split(page(body, status), "TOKEN", generation, now);
    };
  }
};

TEST(ResponseCache, SplitsAroundThePlaceholderAndPutsEachVisitorsTokenBack) {
  const auto entry = ResponseCache::split(page("a TOKEN b TOKEN"), "TOKEN", 0, 0);
  EXPECT_TRUE(entry->needs_csrf_token());
  EXPECT_EQ(entry->assemble("x1").body, "a x1 b x1");
  EXPECT_EQ(entry->assemble("y22").body, "a y22 b y22");
  const auto plain = ResponseCache::split(page("no token here"), "TOKEN", 0, 0);
  EXPECT_FALSE(plain->needs_csrf_token());
  EXPECT_EQ(plain->assemble("").body, "no token here");
}

TEST(ResponseCache, SharedAnswersPointAtTheEntrysBytesAndKeepThemAlive) {
  http::Response built = page(std::string(2000, 'a'));
  built.content_type = "application/json";
  built.add_header("ETag", "\"v1\"");
  ResponseCache::EntryPtr entry = ResponseCache::split(std::move(built), "TOKEN", 0, 0);
  const std::string* plain_bytes = &entry->pieces.front();
  const std::string* gzipped_bytes = &entry->gzipped();
  ASSERT_FALSE(gzipped_bytes->empty()) << "2,000 equal bytes compress";

  http::Response plain = ResponseCache::shared_answer(entry, false);
  http::Response gzipped = ResponseCache::shared_answer(entry, true);
  EXPECT_EQ(plain.shared_body.get(), plain_bytes) << "the entry's bytes, not a copy";
  EXPECT_TRUE(plain.body.empty());
  EXPECT_EQ(gzipped.shared_body.get(), gzipped_bytes);
  EXPECT_EQ(plain.content_type, "application/json");
  ASSERT_EQ(plain.headers.size(), 1U);
  EXPECT_EQ(plain.headers.front().second, "\"v1\"");

  entry.reset();  // evicted from the cache while the answers are still being written
  EXPECT_EQ(plain.body_bytes(), std::string(2000, 'a'));
  EXPECT_LT(gzipped.body_bytes().size(), 2000U);
}

TEST(ResponseCache, SharedAnswerIsPlainWhenGzipDoesNotHelp) {
  const auto entry = ResponseCache::split(page("short"), "TOKEN", 0, 0);
  EXPECT_EQ(ResponseCache::shared_answer(entry, true).body_bytes(), "short");
}

TEST(HttpResponse, SetBodyReplacesASharedBody) {
  http::Response response;
  response.share_body(std::make_shared<const std::string>("kept elsewhere"));
  EXPECT_EQ(response.body_bytes(), "kept elsewhere");
  response.set_body("own");
  EXPECT_EQ(response.shared_body, nullptr);
  EXPECT_EQ(response.body_bytes(), "own");
}

TEST(ResponseCache, ServesAKeptAnswerUntilAWriteOrMaxAge) {
  ResponseCache cache;
  Builder builder;
  builder.now = 10 * kSecond;
  EXPECT_EQ(cache.answer("/", builder.now, builder.fn())->assemble("t").body,
            "<p>list</p><input value=\"t\">");
  EXPECT_EQ(builder.calls, 1);
  (void)cache.answer("/", builder.now + kSecond / 2, builder.fn());
  EXPECT_EQ(builder.calls, 1) << "kept for the second request";
  (void)cache.answer("/all/?page=2", builder.now, builder.fn());
  EXPECT_EQ(builder.calls, 2) << "another key is another answer";

  cache.invalidate();
  (void)cache.answer("/", builder.now + kSecond / 2, builder.fn());
  EXPECT_EQ(builder.calls, 3) << "a write makes it build again";

  builder.now += 2 * kSecond;  // older than max_age, and nobody is refreshing it
  (void)cache.answer("/", builder.now, builder.fn());
  EXPECT_EQ(builder.calls, 4);
}

TEST(ResponseCache, KeepsOnly200Answers) {
  ResponseCache cache;
  Builder builder;
  builder.status = 404;
  EXPECT_EQ(cache.answer("/all/?page=9", 0, builder.fn())->status, 404U);
  (void)cache.answer("/all/?page=9", 0, builder.fn());
  EXPECT_EQ(builder.calls, 2);
  EXPECT_EQ(cache.size(), 0U);
}

TEST(ResponseCache, AnAnswerBuiltWhileAWriteWentThroughIsNotKept) {
  ResponseCache cache;
  int calls = 0;
  const auto racing = [&](std::uint64_t generation) {
    ++calls;
    cache.invalidate();  // a write commits while this answer is being built
    return ResponseCache::split(page("old"), "TOKEN", generation, 0);
  };
  (void)cache.answer("/", 0, racing);
  EXPECT_EQ(cache.size(), 0U);
  Builder builder;
  (void)cache.answer("/", 0, builder.fn());
  EXPECT_EQ(builder.calls, 1);
}

TEST(ResponseCache, ConcurrentRequestsWaitForTheOneBuildingTheAnswer) {
  ResponseCache cache;
  std::atomic<int> calls{0};
  std::atomic<bool> release{false};
  const auto slow = [&](std::uint64_t generation) {
    ++calls;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return ResponseCache::split(page("built once"), "TOKEN", generation, 0);
  };
  std::vector<std::thread> threads;
  std::atomic<int> answered{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (cache.answer("/", 0, slow)->assemble("").body == "built once") ++answered;
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  release = true;
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(answered, 8);
  EXPECT_EQ(calls, 1);
}

TEST(ResponseCache, WithoutWaitingAnotherRequestsBuildIsNotWaitedFor) {
  ResponseCache cache;
  std::atomic<bool> started{false}, release{false};
  const auto slow = [&](std::uint64_t generation) {
    started = true;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return ResponseCache::split(page("slow"), "TOKEN", generation, 0);
  };
  std::thread builder([&] { (void)cache.answer("/1/", 0, slow); });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  Builder other;
  EXPECT_EQ(cache.answer_without_waiting("/1/", 0, other.fn()), nullptr);
  EXPECT_EQ(other.calls, 0);
  // With nobody building it, it builds the answer itself.
  EXPECT_NE(cache.answer_without_waiting("/2/", 0, other.fn()), nullptr);
  EXPECT_EQ(other.calls, 1);
  release = true;
  builder.join();
  EXPECT_EQ(cache.answer_without_waiting("/1/", 0, other.fn())->assemble("").body, "slow");
  EXPECT_EQ(other.calls, 1) << "kept by the first build";
}

TEST(ResponseCache, AnswersMarkedNotToKeepOrExpiredAreBuiltAgain) {
  ResponseCache cache;
  int calls = 0;
  const auto unkept = [&](std::uint64_t generation) {
    ++calls;
    auto entry = ResponseCache::split(page("private"), "TOKEN", generation, 0);
    entry->keep = false;
    return ResponseCache::EntryPtr(std::move(entry));
  };
  (void)cache.answer("/s/x/", 0, unkept);
  (void)cache.answer("/s/x/", 0, unkept);
  EXPECT_EQ(calls, 2);

  const auto expiring = [&](std::uint64_t generation) {
    ++calls;
    auto entry = ResponseCache::split(page("soon gone"), "TOKEN", generation, 0);
    entry->expires = kSecond / 2;
    entry->counts_hit_for = 7;
    return ResponseCache::EntryPtr(std::move(entry));
  };
  EXPECT_EQ(cache.answer("/7/", 0, expiring)->counts_hit_for, 7);
  (void)cache.answer("/7/", kSecond / 4, expiring);
  EXPECT_EQ(calls, 3) << "kept until its paste expires";
  EXPECT_EQ(cache.peek("/7/", kSecond / 2), nullptr) << "never served once expired";
  (void)cache.answer("/7/", kSecond / 2, expiring);
  EXPECT_EQ(calls, 4);
}

TEST(ResponseCache, AnOldAnswerIsServedWhileOneRequestRefreshesIt) {
  ResponseCache cache;
  (void)cache.answer("/", 0, [](std::uint64_t generation) {
    return ResponseCache::split(page("first"), "TOKEN", generation, 0);
  });
  std::atomic<bool> building{false};
  std::atomic<bool> release{false};
  std::thread refresher([&] {
    (void)cache.answer("/", 2 * kSecond, [&](std::uint64_t generation) {
      building = true;
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return ResponseCache::split(page("second"), "TOKEN", generation, 2 * kSecond);
    });
  });
  while (!building) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  int other_builds = 0;
  const auto other = [&](std::uint64_t generation) {
    ++other_builds;
    return ResponseCache::split(page("other"), "TOKEN", generation, 2 * kSecond);
  };
  EXPECT_EQ(cache.answer("/", 2 * kSecond, other)->assemble("").body, "first");
  release = true;
  refresher.join();
  EXPECT_EQ(cache.answer("/", 2 * kSecond, other)->assemble("").body, "second");
  EXPECT_EQ(other_builds, 0);
}

TEST(ResponseCache, AFailedBuildLetsTheNextRequestTryAgain) {
  ResponseCache cache;
  EXPECT_THROW((void)cache.answer("/", 0,
                                  [](std::uint64_t) -> ResponseCache::EntryPtr {
                                    throw std::runtime_error("database down");
                                  }),
               std::runtime_error);
  Builder builder;
  EXPECT_EQ(cache.answer("/", 0, builder.fn())->status, 200U);
  EXPECT_EQ(builder.calls, 1);
}

TEST(ResponseCache, StaysWithinItsLimitsDroppingTheOldestFirst) {
  ResponseCache cache(ResponseCache::Limits{.max_entries = 3});
  Builder builder;
  for (int i = 0; i < 5; ++i) {
    builder.now = i;
    (void)cache.answer("/all/?page=" + std::to_string(i), builder.now, builder.fn());
  }
  EXPECT_EQ(cache.size(), 3U);
  (void)cache.answer("/all/?page=4", 5, builder.fn());
  EXPECT_EQ(builder.calls, 5) << "the newest is still kept";
  (void)cache.answer("/all/?page=0", 5, builder.fn());
  EXPECT_EQ(builder.calls, 6) << "the oldest was dropped";

  ResponseCache small(ResponseCache::Limits{.max_bytes = 400});
  builder.body = std::string(200, 'x');
  (void)small.answer("/big", 0, builder.fn());
  EXPECT_EQ(small.size(), 0U) << "an answer over a quarter of the budget is not kept";
}

}  // namespace
}  // namespace sillypaste::web
