#pragma once

#include <atomic>

namespace sillypaste::store {

// Tells a group commit that a write is being prepared (a paste is being highlighted), so
// that a batch starting meanwhile may wait a little for it. Counts as expected from
// construction until release() or destruction, whichever comes first; release it just
// before submitting the write. An empty one (default-constructed) announces nothing.
class ExpectedWrite {
 public:
  ExpectedWrite() = default;
  explicit ExpectedWrite(std::atomic<int>& expected) : expected_(&expected) {
    expected_->fetch_add(1);
  }
  ExpectedWrite(ExpectedWrite&& other) noexcept : expected_(other.expected_) {
    other.expected_ = nullptr;
  }
  ExpectedWrite& operator=(ExpectedWrite&& other) noexcept {
    if (this != &other) {
      release();
      expected_ = other.expected_;
      other.expected_ = nullptr;
    }
    return *this;
  }
  ExpectedWrite(const ExpectedWrite&) = delete;
  ExpectedWrite& operator=(const ExpectedWrite&) = delete;
  ~ExpectedWrite() { release(); }

  void release() {
    if (expected_ != nullptr) {
      expected_->fetch_sub(1);
      expected_ = nullptr;
    }
  }

 private:
  std::atomic<int>* expected_ = nullptr;
};

}  // namespace sillypaste::store
