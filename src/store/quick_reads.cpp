#include "store/quick_reads.hpp"

namespace sillypaste::store {
namespace {

thread_local bool quick_reads = false;

}  // namespace

QuickReadScope::QuickReadScope() : outer_(quick_reads) { quick_reads = true; }

QuickReadScope::~QuickReadScope() { quick_reads = outer_; }

bool QuickReadScope::active() { return quick_reads; }

}  // namespace sillypaste::store
