#include "jobs/background.hpp"

#include <iostream>
#include <string>

#include "core/log.hpp"
#include "core/thread_name.hpp"
#include "jobs/expiry.hpp"

namespace sillypaste::jobs {

Background::Background(store::Store& store, HitCounter& hits, ExpiryMonitor& monitor,
                       std::chrono::seconds expire_interval)
    : store_(store),
      hits_(hits),
      monitor_(monitor),
      expire_interval_(expire_interval),
      thread_([this] {
        core::name_this_thread("sp-background");
        loop();
      }) {}

Background::~Background() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  flush_hits();
}

void Background::flush_hits() {
  auto increments = hits_.drain();
  if (increments.empty()) {
    return;
  }
  try {
    store_.add_hits(increments);
  } catch (const std::exception& error) {
    std::cerr << "sillypaste: could not save hit counts: " << error.what() << '\n';
  }
}

void Background::loop() {
  using Clock = std::chrono::steady_clock;
  auto next_expiry = Clock::now() + expire_interval_;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    if (stopping_) {
      break;
    }
    lock.unlock();
    flush_hits();
    if (expire_interval_.count() > 0 && Clock::now() >= next_expiry) {
      const auto started = core::now_micros();
      try {
        const auto result = run_expiry(store_, started);
        monitor_.record_success(started);
        if (!result.expired_paste_ids.empty() || result.users_pruned > 0) {
          core::log_line("expiry: removed " + std::to_string(result.expired_paste_ids.size()) +
                         " pastes, " + std::to_string(result.users_pruned) +
                         " anonymous users, reclaimed " + std::to_string(result.reclaimed_bytes) +
                         " bytes\n");
        }
      } catch (const std::exception& error) {
        // Logged and retried at the next tick; /health/ turns bad if it keeps failing.
        monitor_.record_failure(started, error.what());
        std::cerr << "sillypaste: expiry pass failed (will retry): " << error.what() << '\n';
      }
      next_expiry = Clock::now() + expire_interval_;
    }
    lock.lock();
  }
}

}  // namespace sillypaste::jobs
