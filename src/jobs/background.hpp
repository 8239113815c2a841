#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "jobs/expiry_monitor.hpp"
#include "jobs/hit_counter.hpp"
#include "store/store.hpp"

namespace sillypaste::jobs {

// The serve process's own timer: flushes hits every second and runs an expiry pass
// every `expire_interval` (zero disables it), so no cron is needed.
class Background {
 public:
  Background(store::Store& store, HitCounter& hits, ExpiryMonitor& monitor,
             std::chrono::seconds expire_interval);
  ~Background();  // stops the thread and flushes the last hits
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  void flush_hits();

 private:
  void loop();

  store::Store& store_;
  HitCounter& hits_;
  ExpiryMonitor& monitor_;
  std::chrono::seconds expire_interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sillypaste::jobs
