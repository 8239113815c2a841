#include "store/write_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace sillypaste::store {
namespace {

// A job is a number; its result is the number times ten. Negative numbers fail their batch.
class Recorder {
 public:
  // Holds the first batch back until `hold_first_until` jobs are waiting behind it.
  explicit Recorder(std::size_t hold_first_until = 0) : hold_first_until_(hold_first_until) {}

  std::vector<int> write(std::span<const int* const> jobs) {
    EXPECT_FALSE(running_.exchange(true)) << "two batches ran at once";
    if (queue_ != nullptr && calls_.fetch_add(1) == 0) {
      while (queue_->waiting() < hold_first_until_) {
        std::this_thread::yield();
      }
    }
    std::vector<int> batch, results;
    for (const int* job : jobs) {
      batch.push_back(*job);
      results.push_back(*job * 10);
    }
    {
      std::lock_guard lock(mutex_);
      batches_.push_back(batch);
    }
    running_ = false;
    if (std::any_of(batch.begin(), batch.end(), [](int job) { return job < 0; })) {
      throw std::runtime_error("bad job " + std::to_string(batch.front()));
    }
    return results;
  }

  void watch(const WriteQueue<int, int>& queue) { queue_ = &queue; }
  [[nodiscard]] int calls() const { return calls_; }
  std::vector<std::vector<int>> batches() {
    std::lock_guard lock(mutex_);
    return batches_;
  }

 private:
  std::size_t hold_first_until_;
  const WriteQueue<int, int>* queue_ = nullptr;
  std::atomic<int> calls_{0};
  std::atomic<bool> running_{false};
  std::mutex mutex_;
  std::vector<std::vector<int>> batches_;
};

WriteQueue<int, int>::BatchWriter writer_for(Recorder& recorder) {
  return [&recorder](std::span<const int* const> jobs) { return recorder.write(jobs); };
}

TEST(WriteQueueTest, a_lone_job_is_written_at_once_as_a_batch_of_one) {
  Recorder recorder;
  WriteQueue<int, int> queue(writer_for(recorder), 8);
  EXPECT_EQ(queue.submit(4), 40);
  EXPECT_EQ(queue.submit(5), 50);
  EXPECT_EQ(recorder.batches(), (std::vector<std::vector<int>>{{4}, {5}}));
}

// Submits 1 first; once its batch runs, 2..count+1 from other threads.
std::vector<int> submit_behind_a_held_batch(WriteQueue<int, int>& queue, Recorder& recorder,
                                            int count, int bad = 0) {
  recorder.watch(queue);
  std::vector<int> results(static_cast<std::size_t>(count) + 1, 0);
  std::vector<std::thread> threads;
  threads.emplace_back([&] { results[0] = queue.submit(1); });
  while (recorder.calls() == 0) {
    std::this_thread::yield();  // until the first job's batch is being written
  }
  for (int job = 2; job <= count + 1; ++job) {
    threads.emplace_back([&, job] {
      const int value = job == bad ? -job : job;
      try {
        results[static_cast<std::size_t>(job) - 1] = queue.submit(value);
      } catch (const std::runtime_error&) {
        results[static_cast<std::size_t>(job) - 1] = -1;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  return results;
}

TEST(WriteQueueTest, jobs_submitted_while_a_batch_runs_are_written_together_next) {
  Recorder recorder(5);
  WriteQueue<int, int> queue(writer_for(recorder), 8);
  const auto results = submit_behind_a_held_batch(queue, recorder, 5);
  EXPECT_EQ(results, (std::vector<int>{10, 20, 30, 40, 50, 60}));
  const auto batches = recorder.batches();
  ASSERT_EQ(batches.size(), 2U);
  EXPECT_EQ(batches[0], std::vector<int>{1});
  auto second = batches[1];
  std::sort(second.begin(), second.end());
  EXPECT_EQ(second, (std::vector<int>{2, 3, 4, 5, 6}));
}

TEST(WriteQueueTest, a_batch_never_holds_more_than_the_maximum) {
  Recorder recorder(7);
  WriteQueue<int, int> queue(writer_for(recorder), 3);
  const auto results = submit_behind_a_held_batch(queue, recorder, 7);
  EXPECT_EQ(results, (std::vector<int>{10, 20, 30, 40, 50, 60, 70, 80}));
  std::size_t written = 0;
  for (const auto& batch : recorder.batches()) {
    EXPECT_LE(batch.size(), 3U);
    written += batch.size();
  }
  EXPECT_EQ(written, 8U);
}

TEST(WriteQueueTest, a_failing_job_fails_only_its_own_submitter) {
  Recorder recorder(4);
  WriteQueue<int, int> queue(writer_for(recorder), 8);
  const auto results = submit_behind_a_held_batch(queue, recorder, 4, /*bad=*/3);
  EXPECT_EQ(results, (std::vector<int>{10, 20, -1, 40, 50}));
  // The failed group of four, then each of its jobs alone.
  const auto batches = recorder.batches();
  ASSERT_EQ(batches.size(), 1U + 1U + 4U);
  EXPECT_EQ(batches[1].size(), 4U);
  for (std::size_t i = 2; i < batches.size(); ++i) {
    EXPECT_EQ(batches[i].size(), 1U);
  }
}

TEST(WriteQueueTest, a_lone_failing_job_gets_the_writers_exception) {
  Recorder recorder;
  WriteQueue<int, int> queue(writer_for(recorder), 8);
  EXPECT_THROW((void)queue.submit(-7), std::runtime_error);
  EXPECT_EQ(queue.submit(7), 70);
  EXPECT_EQ(recorder.batches().size(), 2U);
}

TEST(WriteQueueTest, many_threads_each_get_their_own_result) {
  Recorder recorder;
  WriteQueue<int, int> queue(writer_for(recorder), 4);
  constexpr int kThreads = 8, kEach = 200;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const int job = t * kEach + i;
        if (queue.submit(job) != job * 10) {
          ++wrong;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(wrong, 0);
  std::vector<int> all;
  for (const auto& batch : recorder.batches()) {
    all.insert(all.end(), batch.begin(), batch.end());
  }
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
  for (int i = 0; i < kThreads * kEach; ++i) {
    EXPECT_EQ(all[static_cast<std::size_t>(i)], i);
  }
}

// Long enough that no test reaches it: a batch that lingers would hang the test.
constexpr std::chrono::hours kForever{1};

TEST(WriteQueueTest, with_nothing_announced_a_lone_job_never_lingers) {
  Recorder recorder;
  WriteQueue<int, int> queue(writer_for(recorder), 8, kForever);
  EXPECT_EQ(queue.submit(3), 30);
  // Announced, moved, then released: nothing is expected any more.
  ExpectedWrite first = queue.expect();
  ExpectedWrite second = std::move(first);
  second.release();
  EXPECT_EQ(queue.submit(4), 40);
  EXPECT_EQ(recorder.batches(), (std::vector<std::vector<int>>{{3}, {4}}));
}

TEST(WriteQueueTest, a_batch_waits_for_an_announced_job) {
  Recorder recorder;
  WriteQueue<int, int> queue(writer_for(recorder), 8, kForever);
  ExpectedWrite coming = queue.expect();
  int first = 0;
  std::thread submitter([&] { first = queue.submit(1); });
  while (queue.waiting() == 0) {
    std::this_thread::yield();
  }
  // Not written while the announced job is still being prepared.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(queue.waiting(), 1U);
  EXPECT_TRUE(recorder.batches().empty());
  coming.release();
  EXPECT_EQ(queue.submit(2), 20);
  submitter.join();
  EXPECT_EQ(first, 10);
  EXPECT_EQ(recorder.batches(), (std::vector<std::vector<int>>{{1, 2}}));
}

TEST(WriteQueueTest, a_job_announced_and_never_submitted_holds_a_batch_only_for_the_linger) {
  Recorder recorder;
  WriteQueue<int, int> queue(writer_for(recorder), 8, std::chrono::milliseconds(20));
  const ExpectedWrite never_submitted = queue.expect();
  EXPECT_EQ(queue.submit(5), 50);
  EXPECT_EQ(recorder.batches(), (std::vector<std::vector<int>>{{5}}));
}

TEST(WriteQueueTest, a_full_batch_does_not_wait_for_announced_jobs) {
  Recorder recorder;
  WriteQueue<int, int> queue(writer_for(recorder), 2, kForever);
  const ExpectedWrite never_submitted = queue.expect();
  int first = 0;
  std::thread submitter([&] { first = queue.submit(1); });
  while (queue.waiting() == 0) {
    std::this_thread::yield();
  }
  EXPECT_EQ(queue.submit(2), 20);  // the second job fills the batch
  submitter.join();
  EXPECT_EQ(first, 10);
  EXPECT_EQ(recorder.batches(), (std::vector<std::vector<int>>{{1, 2}}));
}

void wait_for_first_batch(const Recorder& recorder) {
  while (recorder.calls() == 0) {
    std::this_thread::yield();
  }
}

// What submit_then's callbacks were given, in the order they ran.
struct Handed {
  int job = 0;
  std::optional<int> result;
  bool failed = false;
};

class HandedBack {
 public:
  WriteQueue<int, int>::Done done() {
    return [this](int job, std::optional<int> result, const std::exception_ptr& error) {
      const std::lock_guard lock(mutex_);
      handed_.push_back({job, result, error != nullptr});
    };
  }
  std::vector<Handed> handed() {
    const std::lock_guard lock(mutex_);
    return handed_;
  }

 private:
  std::mutex mutex_;
  std::vector<Handed> handed_;
};

TEST(WriteQueueTest, submit_then_returns_at_once_and_hands_the_job_back_with_its_result) {
  Recorder recorder(3);  // the first batch waits until three jobs queue behind it
  WriteQueue<int, int> queue(writer_for(recorder), 8);
  recorder.watch(queue);
  HandedBack handed;
  queue.submit_then(1, handed.done());
  wait_for_first_batch(recorder);
  for (int job = 2; job <= 4; ++job) {
    queue.submit_then(job, handed.done());  // would hang here if it waited for the batch
  }
  queue.drain();
  const auto all = handed.handed();
  ASSERT_EQ(all.size(), 4U);
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].job, static_cast<int>(i) + 1);
    EXPECT_EQ(all[i].result, std::optional<int>((static_cast<int>(i) + 1) * 10));
    EXPECT_FALSE(all[i].failed);
  }
  // Queued behind the first batch, the other three shared one.
  EXPECT_EQ(recorder.batches(), (std::vector<std::vector<int>>{{1}, {2, 3, 4}}));
}

TEST(WriteQueueTest, submit_then_hands_a_failed_job_back_with_its_error_and_no_result) {
  Recorder recorder(2);
  WriteQueue<int, int> queue(writer_for(recorder), 8);
  recorder.watch(queue);
  HandedBack handed;
  queue.submit_then(1, handed.done());
  wait_for_first_batch(recorder);
  queue.submit_then(-2, handed.done());
  queue.submit_then(3, handed.done());
  queue.drain();
  const auto all = handed.handed();
  ASSERT_EQ(all.size(), 3U);
  EXPECT_EQ(all[1].job, -2);
  EXPECT_TRUE(all[1].failed);
  EXPECT_FALSE(all[1].result.has_value());
  EXPECT_EQ(all[2].result, std::optional<int>(30));  // its batch-mate, written again alone
}

TEST(WriteQueueTest, waiting_and_handed_back_jobs_share_a_batch) {
  Recorder recorder(2);
  WriteQueue<int, int> queue(writer_for(recorder), 8);
  recorder.watch(queue);
  HandedBack handed;
  queue.submit_then(1, handed.done());
  wait_for_first_batch(recorder);
  queue.submit_then(2, handed.done());
  int waited = 0;
  std::thread submitter([&] { waited = queue.submit(3); });
  submitter.join();
  queue.drain();
  EXPECT_EQ(waited, 30);
  EXPECT_EQ(handed.handed().size(), 2U);
  EXPECT_EQ(recorder.batches(), (std::vector<std::vector<int>>{{1}, {2, 3}}));
}

TEST(WriteQueueTest, a_throwing_callback_does_not_stop_the_writer) {
  Recorder recorder;
  WriteQueue<int, int> queue(writer_for(recorder), 8);
  queue.submit_then(1, [](int, std::optional<int>, const std::exception_ptr&) {
    throw std::runtime_error("callback exploded on purpose");
  });
  EXPECT_EQ(queue.submit(2), 20);
}

TEST(WriteQueueTest, the_destructor_writes_the_jobs_still_queued) {
  Recorder recorder;
  HandedBack handed;
  {
    WriteQueue<int, int> queue(writer_for(recorder), 8);
    for (int job = 1; job <= 5; ++job) {
      queue.submit_then(job, handed.done());
    }
  }
  EXPECT_EQ(handed.handed().size(), 5U);
}

}  // namespace
}  // namespace sillypaste::store
