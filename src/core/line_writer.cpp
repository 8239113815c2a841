#include "core/line_writer.hpp"

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <utility>

#include "core/thread_name.hpp"

namespace sillypaste::core {

namespace {

// A batch buffer bigger than this is given back after its write: a burst of logging while
// the reader was slow should not stay in the server's memory.
constexpr std::size_t kKeptCapacity = std::size_t{256} << 10;

bool is_regular_file(int fd) {
  struct stat status {};
  return ::fstat(fd, &status) == 0 && S_ISREG(status.st_mode);
}

}  // namespace

LineWriter::LineWriter(int fd) : LineWriter(fd, Options{}) {}

LineWriter::LineWriter(int fd, Options options)
    : fd_(fd), options_(options), regular_file_(is_regular_file(fd)) {
  thread_ = std::thread([this] { run(); });
}

LineWriter::~LineWriter() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    give_up_at_ = std::chrono::steady_clock::now() + options_.give_up_after;
  }
  wake_.notify_all();
  thread_.join();
}

void LineWriter::write(std::string_view line) {
  bool was_empty = false;
  {
    const std::lock_guard lock(mutex_);
    was_empty = pending_.empty() && dropped_unreported_ == 0;
    if (pending_.size() + line.size() > options_.max_pending_bytes) {
      ++dropped_lines_;
      ++dropped_unreported_;
    } else {
      pending_.append(line);
      handed_bytes_ += line.size();
    }
  }
  if (was_empty) {  // otherwise the thread is awake already, or about to take this batch
    wake_.notify_one();
  }
}

bool LineWriter::flush(std::chrono::steady_clock::duration timeout) {
  std::unique_lock lock(mutex_);
  const auto target = handed_bytes_;
  return written_.wait_for(lock, timeout, [&] { return written_bytes_ >= target; });
}

std::uint64_t LineWriter::dropped_lines() const {
  const std::lock_guard lock(mutex_);
  return dropped_lines_;
}

void LineWriter::run() {
  name_this_thread("sp-log");
  std::string batch;
  for (;;) {
    std::uint64_t dropped = 0;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock,
                 [this] { return !pending_.empty() || dropped_unreported_ != 0 || stopping_; });
      if (pending_.empty() && dropped_unreported_ == 0) {
        return;  // stopping, and everything is written
      }
      if (!stopping_) {  // one write for the lines of the next few milliseconds
        wake_.wait_for(lock, options_.gather, [this] { return stopping_; });
      }
      batch.swap(pending_);
      dropped = std::exchange(dropped_unreported_, 0);
    }
    const auto accepted = batch.size();
    if (dropped != 0) {  // those lines came after every line of this batch
      batch += "sillypaste: " + std::to_string(dropped) +
               " log lines dropped: the output was not read fast enough\n";
    }
    write_out(batch);
    batch.clear();
    if (batch.capacity() > kKeptCapacity) {
      std::string().swap(batch);
    }
    {
      const std::lock_guard lock(mutex_);
      written_bytes_ += accepted;
    }
    written_.notify_all();
  }
}

void LineWriter::write_out(std::string_view bytes) {
  const auto gave_up = [this] {
    const std::lock_guard lock(mutex_);
    return stopping_ && std::chrono::steady_clock::now() >= give_up_at_;
  };
  while (!bytes.empty()) {
    if (!regular_file_) {
      // A pipe or socket with room takes PIPE_BUF bytes without blocking, so a reader that
      // stopped cannot hold this thread in write() past the destructor's deadline.
      pollfd entry{fd_, POLLOUT, 0};
      const int ready = ::poll(&entry, 1, 100);
      if (ready < 0 && errno != EINTR) {
        return;
      }
      if (ready <= 0) {
        if (gave_up()) {
          return;
        }
        continue;
      }
      if ((entry.revents & (POLLERR | POLLNVAL)) != 0) {
        return;
      }
    }
    const auto chunk = regular_file_ ? bytes.size() : std::min<std::size_t>(bytes.size(), PIPE_BUF);
    const auto written = ::write(fd_, bytes.data(), chunk);
    if (written < 0) {
      if (errno == EINTR || errno == EAGAIN) {
        continue;
      }
      return;
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

}  // namespace sillypaste::core
