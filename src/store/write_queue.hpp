#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "core/thread_name.hpp"
#include "store/expected_write.hpp"

namespace sillypaste::store {

// Group commit: jobs submitted by many threads at once are written by the queue's own
// writer thread in batches (one transaction each). A batch is all or nothing; when one of
// several jobs fails it, every job of it is run again alone, so a bad job fails only its
// own submitter.
//
// A job is submitted either to wait for it (submit) or to be told when it is written
// (submit_then): the submitter then goes on at once, and the writer hands the job back
// with its result. Threads that need not wait for the commit keep working meanwhile, so
// more jobs queue up behind a batch and the next batch shares its commit among more.
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
  // Gets a job of submit_then back once it is written: with its result, or with what
  // writing it threw (and no result). Runs on the writer's thread, so it must be quick;
  // what it throws is dropped.
  using Done = std::function<void(Job job, std::optional<Result> result, std::exception_ptr error)>;

  WriteQueue(BatchWriter write_batch, std::size_t max_batch,
             std::chrono::microseconds linger = std::chrono::microseconds(0))
      : write_batch_(std::move(write_batch)),
        max_batch_(max_batch == 0 ? 1 : max_batch),
        linger_(linger),
        writer_thread_([this] {
          core::name_this_thread("sp-writer");
          run_writer();
        }) {}
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;
  // Writes every job submitted so far first.
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
    const auto entry = std::make_shared<Entry>(&job);
    std::unique_lock lock(mutex_);
    enqueue(entry);
    entry->written.wait(lock, [&entry] { return entry->finished; });
    lock.unlock();
    if (entry->error) {
      std::rethrow_exception(entry->error);
    }
    return std::move(*entry->result);
  }

  // Returns at once; `done` gets the job back once it is written.
  void submit_then(Job job, Done done) {
    auto entry = std::make_shared<Entry>(nullptr);
    entry->owned = std::move(job);
    entry->job = &*entry->owned;
    entry->done = std::move(done);
    const std::lock_guard lock(mutex_);
    enqueue(std::move(entry));
  }

  // Waits until every job submitted before the call is written and its submitter told.
  void drain() {
    std::unique_lock lock(mutex_);
    drained_.wait(lock, [this] { return waiting_.empty() && !batch_in_hand_; });
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
    std::optional<Job> owned;  // submit_then's job, handed back to `done`
    Done done;                 // set by submit_then; submit waits on `written` instead
    std::optional<Result> result;
    std::exception_ptr error;
    bool finished = false;  // under mutex_
    // Notified once mutex_ is released: a submitter woken while the writer still held it
    // would only block again, on the mutex (two context switches instead of one).
    std::condition_variable written;
  };
  using EntryPointer = std::shared_ptr<Entry>;  // the writer's keeps it alive to notify it

  enum class WriterState { idle, lingering, writing };

  // Called with mutex_ held.
  void enqueue(EntryPointer entry) {
    waiting_.push_back(std::move(entry));
    if (writer_state_ == WriterState::idle || waiting_.size() >= max_batch_ ||
        (writer_state_ == WriterState::lingering && expected_.load() == 0)) {
      wake_writer_.notify_one();
    }
  }

  void run_writer() {
    std::vector<EntryPointer> batch;
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
      batch_in_hand_ = true;
      lock.unlock();
      write(batch);
      lock.lock();
      for (const EntryPointer& written : batch) {
        written->finished = true;
      }
      lock.unlock();
      hand_back(batch);
      batch.clear();
      lock.lock();
      batch_in_hand_ = false;
      if (waiting_.empty()) {
        drained_.notify_all();
      }
    }
  }

  // Moves the oldest waiting jobs, at most max_batch_ of them, into `batch`. Called with
  // mutex_ held.
  void take_batch(std::vector<EntryPointer>& batch) {
    const auto count = static_cast<long>(std::min(waiting_.size(), max_batch_));
    batch.assign(waiting_.begin(), waiting_.begin() + count);
    waiting_.erase(waiting_.begin(), waiting_.begin() + count);
  }

  // Fills each entry's result or error; never throws.
  void write(const std::vector<EntryPointer>& batch) {
    if (batch.size() > 1 && write_together(batch)) {
      return;
    }
    for (const EntryPointer& entry : batch) {
      write_together({entry});
    }
  }

  // One transaction for all of `batch`: true when it was written. When it failed, a single
  // entry gets the error; several get nothing (each is written again alone).
  bool write_together(const std::vector<EntryPointer>& batch) {
    try {
      std::vector<const Job*> jobs;
      jobs.reserve(batch.size());
      for (const EntryPointer& entry : batch) {
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

  // Tells every submitter of a written batch. Called without mutex_.
  static void hand_back(const std::vector<EntryPointer>& batch) {
    for (const EntryPointer& entry : batch) {
      if (!entry->done) {
        entry->written.notify_one();
        continue;
      }
      try {
        entry->done(std::move(*entry->owned), std::move(entry->result), entry->error);
      } catch (...) {  // NOLINT(bugprone-empty-catch): documented; the writer must go on
      }
    }
  }

  BatchWriter write_batch_;
  std::size_t max_batch_;
  std::chrono::microseconds linger_;
  std::atomic<int> expected_{0};  // announced jobs not submitted yet
  mutable std::mutex mutex_;
  std::condition_variable wake_writer_;
  std::condition_variable drained_;
  std::vector<EntryPointer> waiting_;
  bool batch_in_hand_ = false;  // taken and not yet handed back
  bool stopping_ = false;
  WriterState writer_state_ = WriterState::writing;  // until the writer first looks for work
  std::thread writer_thread_;  // last: starts once everything it reads is built
};

}  // namespace sillypaste::store
