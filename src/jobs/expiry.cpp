#include "jobs/expiry.hpp"

#include "core/expiry_policy.hpp"

namespace sillypaste::jobs {

store::ExpiryResult run_expiry(store::Store& store, core::Micros now) {
  return store.expire(now, now - core::kAnonymousUserLifetime, core::kKeepExpiryLogs);
}

}  // namespace sillypaste::jobs
