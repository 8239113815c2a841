#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/store.hpp"

namespace sillypaste::jobs {

// serve's thread that puts new pastes into SQLite's search index (migration 0005) while
// staying out of the way of the writes that made them: it indexes when the backlog has
// stopped growing for `idle` (the writers are done), or when it has grown to
// `max_backlog_bytes` or `max_backlog` pastes (a long burst: searches read every unindexed
// paste, so their cost is bounded here, mostly by the bytes they read); then it leaves the
// writers at least half of the write lock's time.
// Does nothing on PostgreSQL, whose backlog is always 0.
class SearchIndexer {
 public:
  struct Options {
    std::chrono::milliseconds idle{25};
    std::chrono::milliseconds poll{1000};  // how often an empty backlog is looked at
    long long max_backlog = 50'000;
    long long max_backlog_bytes = 48LL << 20;
    long long batch = 200;      // pastes per transaction: about 50 ms of the write lock
    long long busy_batch = 50;  // the same while writers wait (a loaded machine: longer)
    // After a batch taken as quiet, writes that queued behind it get this long to commit
    // before the backlog is looked at again: looked at at once, it would seem as quiet as
    // before, and back-to-back batches would leave those writers one commit per batch.
    std::chrono::milliseconds after_quiet_batch{5};
  };

  SearchIndexer(store::Store& store, Options options);
  explicit SearchIndexer(store::Store& store) : SearchIndexer(store, Options{}) {}
  ~SearchIndexer();  // stops the thread (a batch under way finishes first)
  SearchIndexer(const SearchIndexer&) = delete;
  SearchIndexer& operator=(const SearchIndexer&) = delete;

 private:
  void loop();
  // Waits for `delay` or stop(); false when stopping.
  bool sleep(std::chrono::milliseconds delay);

  store::Store& store_;
  Options options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sillypaste::jobs
