#pragma once

#include "core/time.hpp"
#include "store/store.hpp"

namespace sillypaste::jobs {

// One expiry pass (SPEC §4) at `now`.
store::ExpiryResult run_expiry(store::Store& store, core::Micros now);

}  // namespace sillypaste::jobs
