#include "core/thread_name.hpp"

#include <pthread.h>

namespace sillypaste::core {

void name_this_thread(const char* name) noexcept {
  (void)pthread_setname_np(pthread_self(), name);  // only fails for a name too long
}

}  // namespace sillypaste::core
