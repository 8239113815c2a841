#include "store/sqlite_write_combining_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace sillypaste::store {
namespace {

constexpr int kFrameHeaderSize = 24;          // a WAL frame's header
constexpr std::size_t kCommitSizeOffset = 4;  // in it: nonzero on a commit frame
// The unix VFS hands pwrite() a length masked with 0x1ffff, so a longer write goes out in
// pieces and one of a multiple of 128 KiB fails (SQLITE_FULL). 31 frames of 4 KiB fit.
constexpr sqlite3_int64 kBufferSize = 0x1ffff;
constexpr int kWalWriteLock = 0;  // the WAL index's write lock slot

std::atomic<long long> writes_asked{0};
std::atomic<long long> writes_issued{0};

// Our part of a file comes first in the memory SQLite gives xOpen; the underlying VFS's
// file follows it, aligned.
struct WalFile;

struct DatabaseFile {
  sqlite3_file base;  // first: SQLite sees this
  sqlite3_file* real;
  WalFile* wal;  // this connection's log, while it is open
};

struct WalFile {
  sqlite3_file base;  // first: SQLite sees this
  sqlite3_file* real;
  DatabaseFile* database;    // whose write lock guards the log; null if unknown
  char* buffer;              // kBufferSize bytes once something was held
  sqlite3_int64 offset;      // where buffer[0] goes in the file
  sqlite3_int64 size;        // bytes held
  bool commit_header_held;   // the last write held was a commit frame's header
  sqlite3_int64 append_end;  // past the last byte this file appended to the log
};

constexpr std::size_t kOurPart =
    (std::max(sizeof(DatabaseFile), sizeof(WalFile)) + alignof(std::max_align_t) - 1) /
    alignof(std::max_align_t) * alignof(std::max_align_t);

sqlite3_file* real_part(sqlite3_file* file) {
  return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kOurPart);
}

sqlite3_vfs* real_vfs(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

WalFile* as_wal(sqlite3_file* file) { return reinterpret_cast<WalFile*>(file); }
DatabaseFile* as_database(sqlite3_file* file) { return reinterpret_cast<DatabaseFile*>(file); }

// Writes what is held; after an error nothing is held any more (SQLite has been told, or
// is told now, that the write failed).
int flush(WalFile& wal) {
  if (wal.size == 0) {
    return SQLITE_OK;
  }
  writes_issued.fetch_add(1, std::memory_order_relaxed);
  const int rc =
      wal.real->pMethods->xWrite(wal.real, wal.buffer, static_cast<int>(wal.size), wal.offset);
  wal.size = 0;
  wal.commit_header_held = false;
  return rc;
}

// ---- the log file --------------------------------------------------------------------

int wal_close(sqlite3_file* file) {
  WalFile& wal = *as_wal(file);
  const int flushed = flush(wal);
  const int closed = wal.real->pMethods->xClose(wal.real);
  if (wal.database != nullptr && wal.database->wal == &wal) {
    wal.database->wal = nullptr;
  }
  sqlite3_free(wal.buffer);
  wal.buffer = nullptr;
  return flushed != SQLITE_OK ? flushed : closed;
}

int wal_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  WalFile& wal = *as_wal(file);
  if (const int rc = flush(wal); rc != SQLITE_OK) {
    return rc;
  }
  return wal.real->pMethods->xRead(wal.real, out, amount, offset);
}

int write_through(WalFile& wal, const void* data, int amount, sqlite3_int64 offset) {
  if (const int rc = flush(wal); rc != SQLITE_OK) {
    return rc;
  }
  writes_issued.fetch_add(1, std::memory_order_relaxed);
  return wal.real->pMethods->xWrite(wal.real, data, amount, offset);
}

int wal_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  WalFile& wal = *as_wal(file);
  writes_asked.fetch_add(1, std::memory_order_relaxed);
  // Only appends are held: the log's header starts it over at offset 0, frames follow.
  // What goes below the end is SQLite rewriting frames it wrote (a page changed again,
  // checksums redone after the commit frame): straight to the file, in order.
  if (offset != 0 && offset < wal.append_end) {
    return write_through(wal, data, amount, offset);
  }
  wal.append_end = offset + amount;
  // The commit frame's page: once it is written the transaction is complete, and SQLite
  // publishes it to readers next.
  const bool completes_commit = wal.commit_header_held && amount != kFrameHeaderSize;
  wal.commit_header_held = false;
  if (wal.size > 0 && (offset != wal.offset + wal.size || wal.size + amount > kBufferSize)) {
    if (const int rc = flush(wal); rc != SQLITE_OK) {
      return rc;
    }
  }
  if (wal.buffer == nullptr && amount <= kBufferSize) {
    wal.buffer = static_cast<char*>(sqlite3_malloc64(kBufferSize));
  }
  if (wal.buffer == nullptr || amount > kBufferSize) {
    return write_through(wal, data, amount, offset);
  }
  if (wal.size == 0) {
    wal.offset = offset;
  }
  std::memcpy(wal.buffer + wal.size, data, static_cast<std::size_t>(amount));
  wal.size += amount;
  if (amount == kFrameHeaderSize) {
    const auto* header = static_cast<const unsigned char*>(data) + kCommitSizeOffset;
    wal.commit_header_held = (header[0] | header[1] | header[2] | header[3]) != 0;
    return SQLITE_OK;
  }
  return completes_commit ? flush(wal) : SQLITE_OK;
}

int wal_truncate(sqlite3_file* file, sqlite3_int64 size) {
  WalFile& wal = *as_wal(file);
  if (const int rc = flush(wal); rc != SQLITE_OK) {
    return rc;
  }
  return wal.real->pMethods->xTruncate(wal.real, size);
}

int wal_sync(sqlite3_file* file, int flags) {
  WalFile& wal = *as_wal(file);
  if (const int rc = flush(wal); rc != SQLITE_OK) {
    return rc;
  }
  return wal.real->pMethods->xSync(wal.real, flags);
}

int wal_file_size(sqlite3_file* file, sqlite3_int64* size) {
  WalFile& wal = *as_wal(file);
  if (const int rc = flush(wal); rc != SQLITE_OK) {
    return rc;
  }
  return wal.real->pMethods->xFileSize(wal.real, size);
}

int wal_lock(sqlite3_file* file, int level) {
  sqlite3_file* real = as_wal(file)->real;
  return real->pMethods->xLock(real, level);
}

int wal_unlock(sqlite3_file* file, int level) {
  sqlite3_file* real = as_wal(file)->real;
  return real->pMethods->xUnlock(real, level);
}

int wal_check_reserved_lock(sqlite3_file* file, int* out) {
  sqlite3_file* real = as_wal(file)->real;
  return real->pMethods->xCheckReservedLock(real, out);
}

int wal_file_control(sqlite3_file* file, int operation, void* argument) {
  WalFile& wal = *as_wal(file);
  if (const int rc = flush(wal); rc != SQLITE_OK) {
    return rc;
  }
  return wal.real->pMethods->xFileControl(wal.real, operation, argument);
}

int wal_sector_size(sqlite3_file* file) {
  sqlite3_file* real = as_wal(file)->real;
  return real->pMethods->xSectorSize(real);
}

int wal_device_characteristics(sqlite3_file* file) {
  sqlite3_file* real = as_wal(file)->real;
  return real->pMethods->xDeviceCharacteristics(real);
}

int wal_shm_map(sqlite3_file* file, int page, int page_size, int extend, void volatile** out) {
  sqlite3_file* real = as_wal(file)->real;
  return real->pMethods->xShmMap(real, page, page_size, extend, out);
}

int wal_shm_lock(sqlite3_file* file, int offset, int count, int flags) {
  sqlite3_file* real = as_wal(file)->real;
  return real->pMethods->xShmLock(real, offset, count, flags);
}

void wal_shm_barrier(sqlite3_file* file) {
  sqlite3_file* real = as_wal(file)->real;
  real->pMethods->xShmBarrier(real);
}

int wal_shm_unmap(sqlite3_file* file, int delete_flag) {
  sqlite3_file* real = as_wal(file)->real;
  return real->pMethods->xShmUnmap(real, delete_flag);
}

int wal_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  WalFile& wal = *as_wal(file);
  *out = nullptr;
  if (const int rc = flush(wal); rc != SQLITE_OK) {
    return rc;
  }
  return wal.real->pMethods->xFetch(wal.real, offset, amount, out);
}

int wal_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  sqlite3_file* real = as_wal(file)->real;
  return real->pMethods->xUnfetch(real, offset, page);
}

const sqlite3_io_methods kWalMethods = {
    3,
    &wal_close,
    &wal_read,
    &wal_write,
    &wal_truncate,
    &wal_sync,
    &wal_file_size,
    &wal_lock,
    &wal_unlock,
    &wal_check_reserved_lock,
    &wal_file_control,
    &wal_sector_size,
    &wal_device_characteristics,
    &wal_shm_map,
    &wal_shm_lock,
    &wal_shm_barrier,
    &wal_shm_unmap,
    &wal_fetch,
    &wal_unfetch,
};

// ---- the database file: everything passed on, except that giving up the WAL write
// lock first writes what the connection's log still holds ----------------------------

int database_close(sqlite3_file* file) {
  DatabaseFile& database = *as_database(file);
  if (database.wal != nullptr) {
    database.wal->database = nullptr;
    database.wal = nullptr;
  }
  return database.real->pMethods->xClose(database.real);
}

int database_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  sqlite3_file* real = as_database(file)->real;
  return real->pMethods->xRead(real, out, amount, offset);
}

int database_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  sqlite3_file* real = as_database(file)->real;
  return real->pMethods->xWrite(real, data, amount, offset);
}

int database_truncate(sqlite3_file* file, sqlite3_int64 size) {
  sqlite3_file* real = as_database(file)->real;
  return real->pMethods->xTruncate(real, size);
}

int database_sync(sqlite3_file* file, int flags) {
  sqlite3_file* real = as_database(file)->real;
  return real->pMethods->xSync(real, flags);
}

int database_file_size(sqlite3_file* file, sqlite3_int64* size) {
  sqlite3_file* real = as_database(file)->real;
  return real->pMethods->xFileSize(real, size);
}

int database_lock(sqlite3_file* file, int level) {
  sqlite3_file* real = as_database(file)->real;
  return real->pMethods->xLock(real, level);
}

int database_unlock(sqlite3_file* file, int level) {
  sqlite3_file* real = as_database(file)->real;
  return real->pMethods->xUnlock(real, level);
}

int database_check_reserved_lock(sqlite3_file* file, int* out) {
  sqlite3_file* real = as_database(file)->real;
  return real->pMethods->xCheckReservedLock(real, out);
}

int database_file_control(sqlite3_file* file, int operation, void* argument) {
  sqlite3_file* real = as_database(file)->real;
  return real->pMethods->xFileControl(real, operation, argument);
}

int database_sector_size(sqlite3_file* file) {
  sqlite3_file* real = as_database(file)->real;
  return real->pMethods->xSectorSize(real);
}

int database_device_characteristics(sqlite3_file* file) {
  sqlite3_file* real = as_database(file)->real;
  return real->pMethods->xDeviceCharacteristics(real);
}

int database_shm_map(sqlite3_file* file, int page, int page_size, int extend, void volatile** out) {
  sqlite3_file* real = as_database(file)->real;
  return real->pMethods->xShmMap(real, page, page_size, extend, out);
}

int database_shm_lock(sqlite3_file* file, int offset, int count, int flags) {
  DatabaseFile& database = *as_database(file);
  const bool releases_write_lock =
      (flags & SQLITE_SHM_UNLOCK) != 0 && offset <= kWalWriteLock && kWalWriteLock < offset + count;
  if (releases_write_lock && database.wal != nullptr) {
    // Only frames of a transaction that did not commit can be held here; written as SQLite
    // would have written them, and past the log's end for every reader. A failure does not
    // matter to anyone, and the lock must go anyway.
    (void)flush(*database.wal);
  }
  return database.real->pMethods->xShmLock(database.real, offset, count, flags);
}

void database_shm_barrier(sqlite3_file* file) {
  sqlite3_file* real = as_database(file)->real;
  real->pMethods->xShmBarrier(real);
}

int database_shm_unmap(sqlite3_file* file, int delete_flag) {
  sqlite3_file* real = as_database(file)->real;
  return real->pMethods->xShmUnmap(real, delete_flag);
}

int database_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  sqlite3_file* real = as_database(file)->real;
  return real->pMethods->xFetch(real, offset, amount, out);
}

int database_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  sqlite3_file* real = as_database(file)->real;
  return real->pMethods->xUnfetch(real, offset, page);
}

const sqlite3_io_methods kDatabaseMethods = {
    3,
    &database_close,
    &database_read,
    &database_write,
    &database_truncate,
    &database_sync,
    &database_file_size,
    &database_lock,
    &database_unlock,
    &database_check_reserved_lock,
    &database_file_control,
    &database_sector_size,
    &database_device_characteristics,
    &database_shm_map,
    &database_shm_lock,
    &database_shm_barrier,
    &database_shm_unmap,
    &database_fetch,
    &database_unfetch,
};

// ---- the VFS ---------------------------------------------------------------------------

int open_file(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
              int* out_flags) {
  sqlite3_vfs* underlying = real_vfs(vfs);
  const bool is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  const bool is_database = (flags & SQLITE_OPEN_MAIN_DB) != 0;
  if (!is_wal && !is_database) {
    // Journals and temporary files: the underlying VFS's own file, in our larger space.
    return underlying->xOpen(underlying, name, file, flags, out_flags);
  }
  sqlite3_file* real = real_part(file);
  std::memset(file, 0, kOurPart);
  const int rc = underlying->xOpen(underlying, name, real, flags, out_flags);
  if (real->pMethods == nullptr) {
    file->pMethods = nullptr;
    return rc;
  }
  if (real->pMethods->iVersion < 3) {
    // Not the kind of file this was written for: the underlying VFS's own, unwrapped.
    real->pMethods->xClose(real);
    return underlying->xOpen(underlying, name, file, flags, out_flags);
  }
  if (is_wal) {
    WalFile& wal = *as_wal(file);
    wal.real = real;
    wal.base.pMethods = &kWalMethods;
    sqlite3_file* database = rc == SQLITE_OK ? sqlite3_database_file_object(name) : nullptr;
    if (database != nullptr && database->pMethods == &kDatabaseMethods) {
      wal.database = as_database(database);
      wal.database->wal = &wal;
    }
  } else {
    DatabaseFile& database = *as_database(file);
    database.real = real;
    database.base.pMethods = &kDatabaseMethods;
  }
  return rc;
}

int delete_file(sqlite3_vfs* vfs, const char* name, int sync_directory) {
  return real_vfs(vfs)->xDelete(real_vfs(vfs), name, sync_directory);
}

int access_file(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return real_vfs(vfs)->xAccess(real_vfs(vfs), name, flags, out);
}

int full_pathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return real_vfs(vfs)->xFullPathname(real_vfs(vfs), name, size, out);
}

void* dl_open(sqlite3_vfs* vfs, const char* name) {
  return real_vfs(vfs)->xDlOpen(real_vfs(vfs), name);
}

void dl_error(sqlite3_vfs* vfs, int size, char* out) {
  real_vfs(vfs)->xDlError(real_vfs(vfs), size, out);
}

void (*dl_sym(sqlite3_vfs* vfs, void* library, const char* symbol))() {
  return real_vfs(vfs)->xDlSym(real_vfs(vfs), library, symbol);
}

void dl_close(sqlite3_vfs* vfs, void* library) { real_vfs(vfs)->xDlClose(real_vfs(vfs), library); }

int randomness(sqlite3_vfs* vfs, int size, char* out) {
  return real_vfs(vfs)->xRandomness(real_vfs(vfs), size, out);
}

int sleep_for(sqlite3_vfs* vfs, int microseconds) {
  return real_vfs(vfs)->xSleep(real_vfs(vfs), microseconds);
}

int current_time(sqlite3_vfs* vfs, double* out) {
  return real_vfs(vfs)->xCurrentTime(real_vfs(vfs), out);
}

int last_error(sqlite3_vfs* vfs, int size, char* out) {
  return real_vfs(vfs)->xGetLastError(real_vfs(vfs), size, out);
}

int current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return real_vfs(vfs)->xCurrentTimeInt64(real_vfs(vfs), out);
}

int set_system_call(sqlite3_vfs* vfs, const char* name, sqlite3_syscall_ptr call) {
  return real_vfs(vfs)->xSetSystemCall(real_vfs(vfs), name, call);
}

sqlite3_syscall_ptr get_system_call(sqlite3_vfs* vfs, const char* name) {
  return real_vfs(vfs)->xGetSystemCall(real_vfs(vfs), name);
}

const char* next_system_call(sqlite3_vfs* vfs, const char* name) {
  return real_vfs(vfs)->xNextSystemCall(real_vfs(vfs), name);
}

}  // namespace

void use_write_combining_vfs() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_vfs* underlying = sqlite3_vfs_find(nullptr);
    if (underlying == nullptr || underlying->iVersion < 3) {
      return;  // not the unix VFS this was written for: SQLite's own stays
    }
    static sqlite3_vfs vfs = {
        3,
        static_cast<int>(kOurPart) + underlying->szOsFile,
        underlying->mxPathname,
        nullptr,
        "sillypaste-write-combining",
        underlying,
        &open_file,
        &delete_file,
        &access_file,
        &full_pathname,
        &dl_open,
        &dl_error,
        &dl_sym,
        &dl_close,
        &randomness,
        &sleep_for,
        &current_time,
        &last_error,
        &current_time_int64,
        &set_system_call,
        &get_system_call,
        &next_system_call,
    };
    if (sqlite3_vfs_register(&vfs, 1) != SQLITE_OK) {
      throw std::runtime_error("cannot register SQLite's write-combining VFS");
    }
  });
}

WalWriteCounts wal_write_counts() {
  return {writes_asked.load(std::memory_order_relaxed),
          writes_issued.load(std::memory_order_relaxed)};
}

}  // namespace sillypaste::store
