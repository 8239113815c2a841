#pragma once

namespace sillypaste::core {

// Names the calling thread as `top -H`, `ps -L`, gdb and perf show it (at most 15
// characters; longer names are left unset). Not for the main thread: its name is the
// process's, which `pkill sillypaste` matches.
void name_this_thread(const char* name) noexcept;

}  // namespace sillypaste::core
