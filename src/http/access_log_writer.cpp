#include "http/access_log_writer.hpp"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <ctime>

#include "core/thread_name.hpp"

namespace sillypaste::http {
namespace {

// False once the descriptor takes nothing more (a closed pipe, a full disk): what follows
// is dropped, as a log line must never stop the server.
bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == EPIPE) {  // raised SIGPIPE at this thread, which blocks it: swallowed
        sigset_t pipe_signal;
        sigemptyset(&pipe_signal);
        sigaddset(&pipe_signal, SIGPIPE);
        const timespec no_wait{0, 0};
        while (sigtimedwait(&pipe_signal, nullptr, &no_wait) == SIGPIPE) {
        }
      }
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

AccessLogWriter::AccessLogWriter(int fd, std::chrono::milliseconds delay)
    : fd_(fd), delay_(delay), thread_([this] {
        core::name_this_thread("sp-access-log");
        // A reader of the log that went away must not end the server (SIGPIPE).
        sigset_t pipe_signal;
        sigemptyset(&pipe_signal);
        sigaddset(&pipe_signal, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
        run();
      }) {}

AccessLogWriter::~AccessLogWriter() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  room_.notify_all();
  thread_.join();
}

void AccessLogWriter::write(std::string_view lines) {
  std::unique_lock lock(mutex_);
  room_.wait(lock, [this] { return pending_.size() < kMaxPendingBytes || stopping_; });
  // The thread waits for the first line, then for `delay` or kFlushBytes: told only then.
  const bool tell = pending_.empty() || (pending_.size() < kFlushBytes &&
                                         pending_.size() + lines.size() >= kFlushBytes);
  pending_.append(lines);
  lock.unlock();
  if (tell) {
    wake_.notify_one();
  }
}

void AccessLogWriter::run() {
  std::string writing;
  bool open = true;
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    wake_.wait_for(lock, delay_, [this] { return stopping_ || pending_.size() >= kFlushBytes; });
    writing.swap(pending_);
    const bool last = stopping_;
    lock.unlock();
    room_.notify_all();
    if (open && !writing.empty()) {
      open = write_all(fd_, writing);
    }
    writing.clear();
    lock.lock();
    if (last && pending_.empty()) {
      return;
    }
  }
}

}  // namespace sillypaste::http
