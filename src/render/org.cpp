#include "render/org.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "render/html_escape.hpp"

extern char** environ;  // NOLINT: POSIX declares it nowhere else

namespace sillypaste::render {

namespace {

// Applied by pandoc to the parsed document before writing HTML.
constexpr std::string_view kLuaFilter = R"lua(
-- Sillypaste: make pandoc's HTML safe to embed. Raw HTML goes, attributes
-- (onclick=, style=, ...) go, and links or images whose target has a scheme
-- other than http, https or mailto are replaced by their content.
local function is_safe_target(target)
  -- Browsers ignore whitespace and control characters anywhere in a URL's scheme.
  local t = target:gsub('[%c%s]', '')
  local before_path = t:match('^[^/?#]*') or ''
  local colon = before_path:find(':', 1, true)
  if colon == nil then
    return true
  end
  local scheme = before_path:sub(1, colon - 1):lower()
  return scheme == 'http' or scheme == 'https' or scheme == 'mailto'
end

local function without_attributes(el)
  el.attributes = {}
  return el
end

local function checked_link(el)
  if not is_safe_target(el.target) then
    return el.content
  end
  return without_attributes(el)
end

local function checked_image(el)
  if not is_safe_target(el.src) then
    return el.caption
  end
  return without_attributes(el)
end

return {
  {
    RawBlock = function() return {} end,
    RawInline = function() return {} end,
    Link = checked_link,
    Image = checked_image,
    Div = without_attributes,
    Span = without_attributes,
    Header = without_attributes,
    CodeBlock = without_attributes,
    Code = without_attributes,
    Table = without_attributes,
  }
}
)lua";

// pandoc's output for a bounded input is bounded; this only guards against surprises.
constexpr std::size_t kMaxOutputBytes = 64 * 1024 * 1024;

class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.release()) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() { reset(); }

  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  FileDescriptor read;
  FileDescriptor write;
};

std::optional<Pipe> make_pipe() {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) return std::nullopt;
  return Pipe{FileDescriptor(fds[0]), FileDescriptor(fds[1])};
}

// The filter goes to a private temporary file (mkstemp makes it 0600 in a sticky
// directory, so no one else can swap it), written once per process and removed at exit.
// /tmp cleaners may delete it under a long-running server: then it is written again.
class LuaFilterFile {
 public:
  LuaFilterFile() = default;
  LuaFilterFile(const LuaFilterFile&) = delete;
  LuaFilterFile& operator=(const LuaFilterFile&) = delete;
  ~LuaFilterFile() { remove(); }

  // The path of the filter file, or empty if it cannot be written.
  [[nodiscard]] std::string path() {
    const std::lock_guard lock(mutex_);
    struct stat status {};
    if (path_.empty() || ::stat(path_.c_str(), &status) != 0 ||
        static_cast<std::size_t>(status.st_size) != kLuaFilter.size()) {
      remove();
      write();
    }
    return path_;
  }

 private:
  void write() {
    std::error_code error;
    std::filesystem::path directory = std::filesystem::temp_directory_path(error);
    if (error) directory = "/tmp";
    // The pid in the name tells whose file it is.
    std::string path =
        (directory / ("sillypaste-org-filter-" + std::to_string(::getpid()) + "-XXXXXX")).string();
    FileDescriptor fd(::mkstemp(path.data()));
    if (!fd.valid()) return;
    std::string_view rest = kLuaFilter;
    while (!rest.empty()) {
      const ssize_t written = ::write(fd.get(), rest.data(), rest.size());
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) {
        ::unlink(path.c_str());
        return;
      }
      rest.remove_prefix(static_cast<std::size_t>(written));
    }
    path_ = std::move(path);
  }

  void remove() {
    if (!path_.empty()) ::unlink(path_.c_str());
    path_.clear();
  }

  std::mutex mutex_;
  std::string path_;
};

std::string lua_filter_path() {
  static LuaFilterFile file;
  return file.path();
}

// Runs pandoc, feeding `input` on stdin; its stdout, or nullopt on any failure, a
// non-zero exit or the deadline passing. The child is always reaped.
class PandocRun {
 public:
  using Clock = std::chrono::steady_clock;

  PandocRun(std::string_view input, Clock::time_point deadline)
      : input_(input), deadline_(deadline) {}

  std::optional<std::string> run(const std::string& filter_path) {
    auto in = make_pipe();
    auto out = make_pipe();
    if (!in || !out) return std::nullopt;
    if (!spawn(filter_path, *in, *out)) return std::nullopt;
    in->read.reset();
    out->write.reset();
    stdin_ = std::move(in->write);
    stdout_ = std::move(out->read);
    const bool transferred = transfer();
    stdin_.reset();
    stdout_.reset();
    const std::optional<int> status = transferred ? wait_until_deadline() : std::nullopt;
    if (!status) {
      ::kill(pid_, SIGKILL);
      wait_blocking();
      return std::nullopt;
    }
    if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) return std::nullopt;
    return std::move(output_);
  }

 private:
  bool spawn(const std::string& filter_path, Pipe& in, Pipe& out) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    if (posix_spawn_file_actions_init(&actions) != 0) return false;
    if (posix_spawnattr_init(&attributes) != 0) {
      posix_spawn_file_actions_destroy(&actions);
      return false;
    }
    posix_spawn_file_actions_adddup2(&actions, in.read.get(), STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out.write.get(), STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    // The child starts with no blocked signals and default SIGPIPE whatever the server set.
    sigset_t empty;
    sigset_t defaults;
    sigemptyset(&empty);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigmask(&attributes, &empty);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::vector<std::string> arguments = {
        "pandoc", "+RTS", "-M512m", "-RTS",           "--sandbox",    "-f",
        "org",    "-t",   "html",   "--no-highlight", "--lua-filter", filter_path};
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    const int result = posix_spawnp(&pid_, "pandoc", &actions, &attributes, argv.data(), environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return result == 0;
  }

  // Writes stdin and reads stdout together so neither pipe can fill up and stall us.
  bool transfer() {
    if (::fcntl(stdin_.get(), F_SETFL, O_NONBLOCK) != 0) return false;
    if (input_.empty()) stdin_.reset();
    std::array<char, 65536> buffer{};
    while (stdout_.valid()) {
      const auto remaining = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - Clock::now());
      if (remaining.count() <= 0) return false;
      std::array<pollfd, 2> fds{};
      fds[0] = {stdout_.get(), POLLIN, 0};
      fds[1] = {stdin_.valid() ? stdin_.get() : -1, POLLOUT, 0};
      const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(remaining.count()));
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0) return false;
      if (fds[1].revents & (POLLERR | POLLHUP)) {
        return false;  // pandoc closed its stdin before reading everything
      }
      if (fds[1].revents & POLLOUT) {
        if (!write_some()) return false;
      }
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        const ssize_t n = ::read(stdout_.get(), buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) {
          stdout_.reset();
        } else {
          output_.append(buffer.data(), static_cast<std::size_t>(n));
          if (output_.size() > kMaxOutputBytes) return false;
        }
      }
    }
    return !stdin_.valid();
  }

  bool write_some() {
    // SIGPIPE would be raised if pandoc died meanwhile: block it on this thread and
    // swallow a pending one, so the process does not die whatever its disposition.
    sigset_t pipe_signal;
    sigset_t previous;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
    const ssize_t n = ::write(stdin_.get(), input_.data(), input_.size());
    const int write_errno = errno;
    if (n < 0 && write_errno == EPIPE) {
      const timespec no_wait{0, 0};
      while (sigtimedwait(&pipe_signal, nullptr, &no_wait) == SIGPIPE) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (n < 0) return write_errno == EAGAIN || write_errno == EINTR;
    input_.remove_prefix(static_cast<std::size_t>(n));
    if (input_.empty()) stdin_.reset();
    return true;
  }

  std::optional<int> wait_until_deadline() const {
    while (true) {
      int status = 0;
      const pid_t result = ::waitpid(pid_, &status, WNOHANG);
      if (result == pid_) return status;
      if (result < 0 && errno != EINTR) return std::nullopt;
      if (Clock::now() >= deadline_) return std::nullopt;
      ::usleep(1000);
    }
  }

  void wait_blocking() const {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }

  std::string_view input_;
  Clock::time_point deadline_;
  pid_t pid_ = -1;
  FileDescriptor stdin_;
  FileDescriptor stdout_;
  std::string output_;
};

std::string escaped_in_pre(std::string_view text) {
  std::string html = "<pre>";
  append_escaped_html(html, text);
  html.append("</pre>");
  return html;
}

}  // namespace

std::string org_to_html(std::string_view org, std::chrono::milliseconds timeout) {
  if (org.find_first_not_of(" \t\r\n") == std::string_view::npos) return {};
  const std::string input = to_valid_utf8(org);
  const std::string filter_path = lua_filter_path();
  if (filter_path.empty()) return escaped_in_pre(input);
  PandocRun run(input, PandocRun::Clock::now() + timeout);
  std::optional<std::string> html = run.run(filter_path);
  if (!html) return escaped_in_pre(input);
  return to_valid_utf8(*html);
}

}  // namespace sillypaste::render
