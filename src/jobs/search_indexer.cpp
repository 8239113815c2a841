#include "jobs/search_indexer.hpp"

#include <chrono>
#include <iostream>

#include "core/thread_name.hpp"

namespace sillypaste::jobs {

SearchIndexer::SearchIndexer(store::Store& store, Options options)
    : store_(store), options_(options), thread_([this] {
        core::name_this_thread("sp-search-index");
        loop();
      }) {}

SearchIndexer::~SearchIndexer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool SearchIndexer::sleep(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, delay, [this] { return stopping_; });
}

void SearchIndexer::loop() {
  long long seen = -1;  // the backlog at the previous look; -1: none yet
  auto delay = std::chrono::milliseconds(0);
  while (sleep(delay)) {
    try {
      const store::SearchBacklog backlog = store_.search_backlog_size();
      const bool quiet = backlog.pastes == seen;  // no write since the previous look
      if (backlog.pastes == 0) {
        seen = 0;
        delay = options_.poll;
      } else if (quiet || backlog.pastes >= options_.max_backlog ||
                 backlog.bytes >= options_.max_backlog_bytes) {
        const auto started = std::chrono::steady_clock::now();
        seen = store_.index_search_backlog(quiet ? options_.batch : options_.busy_batch);
        // Writers still busy (only the bound made it index): they get the write lock for
        // at least as long as the batch held it.
        delay = quiet ? options_.after_quiet_batch
                      : std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - started);
      } else {  // still growing: writers are busy
        seen = backlog.pastes;
        delay = options_.idle;
      }
    } catch (const std::exception& error) {
      // Searches stay right meanwhile (they read unindexed pastes); retried a poll later.
      std::cerr << "sillypaste: search indexing failed (will retry): " << error.what() << '\n';
      seen = -1;
      delay = options_.poll;
    }
  }
}

}  // namespace sillypaste::jobs
