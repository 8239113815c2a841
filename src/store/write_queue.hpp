#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

namespace sillypaste::store {

// Group commit: jobs submitted by many threads at once are written by one of them in a
// single batch (one transaction), and each submitter returns only once the batch holding
// its job has run. A batch is all or nothing; when one of several jobs fails it, every job
// of it is run again alone, so a bad job fails only its own submitter.
//
// No thread of its own and no waiting for company: the first submitter runs its job at
// once, and the jobs that arrive while a batch runs make up the next one, run by one of
// their submitters (the leader). Batches therefore grow with the load and are single jobs
// when there is none.
template <typename Job, typename Result>
class WriteQueue {
 public:
  // Writes the jobs in one transaction and returns their results in the same order, or
  // throws having written none of them. Never called by two threads at once.
  using BatchWriter = std::function<std::vector<Result>(std::span<const Job* const>)>;

  WriteQueue(BatchWriter write_batch, std::size_t max_batch)
      : write_batch_(std::move(write_batch)), max_batch_(max_batch == 0 ? 1 : max_batch) {}
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  // Returns the job's result once it is written, or throws what writing it threw.
  [[nodiscard]] Result submit(const Job& job) {
    Entry entry(&job);
    std::unique_lock lock(mutex_);
    waiting_.push_back(&entry);
    while (!entry.done) {
      if (leading_) {
        changed_.wait(lock);
        continue;
      }
      std::vector<Entry*> batch;
      try {
        batch = take_batch();
      } catch (...) {  // out of memory: leave no pointer to this frame behind
        std::erase(waiting_, &entry);
        throw;
      }
      leading_ = true;
      lock.unlock();
      write(batch);
      lock.lock();
      for (Entry* written : batch) {
        written->done = true;
      }
      leading_ = false;
      changed_.notify_all();
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
  };

  // The oldest waiting jobs, at most max_batch_ of them. Called with mutex_ held.
  std::vector<Entry*> take_batch() {
    const std::size_t count = std::min(waiting_.size(), max_batch_);
    std::vector<Entry*> batch(waiting_.begin(), waiting_.begin() + static_cast<long>(count));
    waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<long>(count));
    return batch;
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
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Entry*> waiting_;
  bool leading_ = false;
};

}  // namespace sillypaste::store
