#pragma once

// Which database failures mean "out of storage space": those become StorageFull, which the
// web and API layers answer with 503 instead of 500, since they pass once space returns.

#include <string_view>

namespace soci {
class soci_error;
}

namespace sillypaste::store {

// SQLITE_FULL ("database or disk is full"), also as the primary code of an extended one.
[[nodiscard]] bool sqlite_result_means_full(int result);

// Class 53 "insufficient resources": 53100 disk_full, 53200 out_of_memory,
// 53300 too_many_connections, 53400 configuration_limit_exceeded. Only 53100 is storage.
[[nodiscard]] bool sqlstate_means_full(std::string_view sqlstate);

// By the backend's own code where SOCI exposes one, else by the text of the message
// (ENOSPC surfaces as "No space left on device" from both engines' file layers).
[[nodiscard]] bool means_storage_full(const soci::soci_error& error);

// Throws StorageFull when the error means_storage_full, else StoreError; both say `what`.
[[noreturn]] void throw_store_error(std::string_view what, const soci::soci_error& error);

}  // namespace sillypaste::store
