#pragma once

namespace sillypaste::store {

// SQLite writes each page it appends to the write-ahead log with two pwrite() calls, the
// 24-byte frame header and then the page, so a group commit of 4 pastes made about 30
// system calls. This VFS, registered as the default and otherwise SQLite's own, joins the
// contiguous writes of one transaction to the log in memory and hands them to the kernel
// as one write when the commit frame is written. What readers see does not change: a
// commit's frames are all in the file before SQLite publishes them in the WAL index.
//
// Only appends are held. Whatever is held is written before anything else touches the log
// file (a read, a sync, a truncation, a close, a write elsewhere: SQLite rewriting a frame
// or its checksums goes straight to the file, in order) and before the connection gives up
// the WAL write lock (a rolled-back transaction's frames, as SQLite itself would have left
// them), so no other connection can ever write over it.
//
// Registers the VFS once; later calls do nothing. Call it after any sqlite3_config().
void use_write_combining_vfs();

// What the log files of this process were asked to write and what reached the kernel,
// since the start (for tests and measurements).
struct WalWriteCounts {
  long long asked = 0;   // xWrite calls SQLite made on log files
  long long issued = 0;  // writes passed on to the file
};
[[nodiscard]] WalWriteCounts wal_write_counts();

}  // namespace sillypaste::store
