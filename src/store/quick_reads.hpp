#pragma once

namespace sillypaste::store {

// Thrown by a read made inside a QuickReadScope that would have to wait: no pooled
// connection is free this instant, or the database is across the network. Deliberately
// not a std::exception, so no handler mistakes it for a failure to report.
struct WouldWait {};

// While one is alive on a thread, the paste lookups by id and by secret throw WouldWait
// instead of waiting. The network threads use it to answer cheap reads (SQLite, a free
// connection, a page-cache hit) themselves, where handing them to a worker thread would
// cost more than the read.
class QuickReadScope {
 public:
  QuickReadScope();
  ~QuickReadScope();
  QuickReadScope(const QuickReadScope&) = delete;
  QuickReadScope& operator=(const QuickReadScope&) = delete;

  [[nodiscard]] static bool active();

 private:
  bool outer_;
};

}  // namespace sillypaste::store
