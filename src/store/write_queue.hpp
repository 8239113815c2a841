#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <thread>
#include <vector>

#include "store/expected_write.hpp"

namespace sillypaste::store {

// Group commit: jobs submitted by many threads at once are written by the queue's own
// writer thread in batches (one transaction each), and each submitter returns once the
// batch holding its job has run. A batch is all or nothing; when one of several jobs
// fails it, every job of it is run again alone, so a bad job fails only its own submitter.
//
// The writer takes what is waiting as soon as it is free, so batches grow with the load
// and a lone job is written at once. It stays on the CPU from one batch to the next and
// wakes only the submitters of the batch it wrote. (A leader chosen among the submitters,
// as before, left every batch waiting for the next leader to be woken and scheduled:
// about 180 us on a busy 2-core machine, a third of what writing a batch took.)
//
// Jobs being prepared can be announced (expect()). While one is, the writer lets a batch
// wait for company, at most `linger`: under load, batches of about 4 instead of 2, whose
// fixed cost (a leaf of every index, the commit) is shared by more jobs. With nothing
// announced it never waits.
template <typename Job, typename Result>
class WriteQueue {
 public:
  // Writes the jobs in one transaction and returns their results in the same order, or
  // throws having written none of them. Never called by two threads at once.
  using BatchWriter = std::function<std::vector<Result>(std::span<const Job* const>)>;

  WriteQueue(BatchWriter write_batch, std::size_t max_batch,
             std::chrono::microseconds linger = std::chrono::microseconds(0))
      : write_batch_(std::move(write_batch)),
        max_batch_(max_batch == 0 ? 1 : max_batch),
        linger_(linger),
        writer_thread_([this] { run_writer(); }) {}
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;
  ~WriteQueue() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_writer_.notify_one();
    writer_thread_.join();
  }

  // Announces a job that is being prepared; release the result before submitting it.
  [[nodiscard]] ExpectedWrite expect() { return ExpectedWrite(expected_); }

  // Returns the job's result once it is written, or throws what writing it threw.
  [[nodiscard]] Result submit(const Job& job) {
    Entry entry(&job);
    {
      std::unique_lock lock(mutex_);
      waiting_.push_back(&entry);
      if (writer_state_ == WriterState::idle || waiting_.size() >= max_batch_ ||
          (writer_state_ == WriterState::lingering && expected_.load() == 0)) {
        wake_writer_.notify_one();
      }
      entry.written.wait(lock, [&entry] { return entry.done; });
    }
    if (entry.error) {
      std::rethrow_exception(entry.error);
    }
    return std::move(*entry.result);
  }

  // Jobs submitted and not yet taken into a batch (for tests).
  [[nodiscard]] std::size_t waiting() const {
    std::lock_guard lock(mutex_);
    return waiting_.size();
  }

 private:
  struct Entry {
    explicit Entry(const Job* submitted) : job(submitted) {}
    const Job* job;
    std::optional<Result> result;
    std::exception_ptr error;
    bool done = false;
    std::condition_variable written;  // notified under mutex_, so never after the return
  };

  enum class WriterState { idle, lingering, writing };

  void run_writer() {
    std::vector<Entry*> batch;
    batch.reserve(max_batch_);  // taking a batch never allocates
    std::unique_lock lock(mutex_);
    while (true) {
      writer_state_ = WriterState::idle;
      wake_writer_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (waiting_.empty()) {
        return;  // stopping, with nobody left waiting
      }
      if (linger_.count() > 0 && expected_.load() > 0) {
        writer_state_ = WriterState::lingering;
        wake_writer_.wait_for(lock, linger_, [this] {
          return stopping_ || waiting_.size() >= max_batch_ || expected_.load() == 0;
        });
      }
      writer_state_ = WriterState::writing;
      take_batch(batch);
      lock.unlock();
      write(batch);
      lock.lock();
      for (Entry* written : batch) {
        written->done = true;
        written->written.notify_one();
      }
    }
  }

  // Moves the oldest waiting jobs, at most max_batch_ of them, into `batch`. Called with
  // mutex_ held.
  void take_batch(std::vector<Entry*>& batch) {
    const auto count = static_cast<long>(std::min(waiting_.size(), max_batch_));
    batch.assign(waiting_.begin(), waiting_.begin() + count);
    waiting_.erase(waiting_.begin(), waiting_.begin() + count);
  }

  // Fills each entry's result or error; never throws.
  void write(const std::vector<Entry*>& batch) {
    if (batch.size() > 1 && write_together(batch)) {
      return;
    }
    for (Entry* entry : batch) {
      write_together({entry});
    }
  }

  // One transaction for all of `batch`: true when it was written. When it failed, a single
  // entry gets the error; several get nothing (each is written again alone).
  bool write_together(const std::vector<Entry*>& batch) {
    try {
      std::vector<const Job*> jobs;
      jobs.reserve(batch.size());
      for (const Entry* entry : batch) {
        jobs.push_back(entry->job);
      }
      std::vector<Result> results = write_batch_(jobs);
      if (results.size() != batch.size()) {
        throw std::logic_error("WriteQueue: a batch writer returned the wrong number of results");
      }
      for (std::size_t i = 0; i < batch.size(); ++i) {
        batch[i]->result = std::move(results[i]);
      }
      return true;
    } catch (...) {
      if (batch.size() == 1) {
        batch.front()->error = std::current_exception();
      }
      return false;
    }
  }

  BatchWriter write_batch_;
  std::size_t max_batch_;
  std::chrono::microseconds linger_;
  std::atomic<int> expected_{0};  // announced jobs not submitted yet
  mutable std::mutex mutex_;
  std::condition_variable wake_writer_;
  std::vector<Entry*> waiting_;
  bool stopping_ = false;
  WriterState writer_state_ = WriterState::writing;  // until the writer first looks for work
  std::thread writer_thread_;  // last: starts once everything it reads is built
};

}  // namespace sillypaste::store
