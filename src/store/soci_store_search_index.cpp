// SociStore: keeping SQLite's trigram index caught up with new pastes (migration 0005).
#include <algorithm>

#include "store/soci_store.hpp"
#include "store/soci_store_detail.hpp"

namespace sillypaste::store {
namespace {

[[nodiscard]] bool defers_indexing(const SqlDialect& dialect) {
  return dialect.search_index == SqlDialect::SearchIndex::kFts5Trigram;
}

[[nodiscard]] long long backlog(soci::session& sql) {
  long long pending = 0;
  sql << "SELECT COALESCE((SELECT MAX(id) FROM pastes), 0) - indexed_through "
         "FROM search_progress",
      soci::into(pending);
  return std::max(pending, 0LL);
}

// The bytes of the pastes with after < id <= through.
[[nodiscard]] long long bytes_between(soci::session& sql, long long after, long long through) {
  long long bytes = 0;
  sql << "SELECT COALESCE(SUM(size), 0) FROM pastes WHERE id > :after AND id <= :through",
      soci::use(after, "after"), soci::use(through, "through"), soci::into(bytes);
  return bytes;
}

}  // namespace

long long index_pending_pastes(soci::session& sql, long long max_rows) {
  long long mark = 0, last = 0;
  sql << "SELECT indexed_through FROM search_progress", soci::into(mark);
  sql << "SELECT COALESCE(MAX(id), 0) FROM pastes", soci::into(last);
  if (last <= mark) {
    return 0;
  }
  long long through = last;
  if (max_rows > 0) {
    const long long skip = max_rows - 1;
    sql << "SELECT id FROM pastes WHERE id > :mark ORDER BY id LIMIT 1 OFFSET :skip",
        soci::use(mark, "mark"), soci::use(skip, "skip"), soci::into(through);
  }
  // One statement for the whole batch: FTS5 flushes its pending terms once per statement.
  sql << "INSERT INTO pastes_search (rowid, title, body) "
         "SELECT id, title, body FROM pastes WHERE id > :mark AND id <= :through",
      soci::use(mark, "mark"), soci::use(through, "through");
  sql << "UPDATE search_progress SET indexed_through = :through", soci::use(through, "through");
  return through - mark;
}

long long SociStore::search_backlog() {
  if (!defers_indexing(dialect_)) {
    return 0;
  }
  return guarded("search_backlog", [&] {
    soci::session sql(pool_);
    return backlog(sql);
  });
}

SearchBacklog SociStore::search_backlog_size() {
  if (!defers_indexing(dialect_)) {
    return {};
  }
  return guarded("search_backlog_size", [&] {
    soci::session sql(pool_);
    long long mark = 0, last = 0;
    sql << "SELECT indexed_through, COALESCE((SELECT MAX(id) FROM pastes), 0) "
           "FROM search_progress",
        soci::into(mark), soci::into(last);
    std::lock_guard lock(backlog_tally_mutex_);
    BacklogTally& tally = backlog_tally_;
    if (last <= mark || mark < tally.mark || mark > tally.through) {
      tally = {.mark = mark, .through = mark, .bytes = 0};  // nothing known still counts
    } else if (mark > tally.mark) {
      tally.bytes -= bytes_between(sql, tally.mark, mark);  // indexed since
      tally.mark = mark;
    }
    if (last > tally.through) {
      tally.bytes += bytes_between(sql, tally.through, last);  // written since
      tally.through = last;
    }
    // Pastes deleted before they were indexed still count until the backlog empties.
    return SearchBacklog{.pastes = std::max(last - mark, 0LL), .bytes = std::max(tally.bytes, 0LL)};
  });
}

long long SociStore::index_search_backlog(long long max_rows) {
  if (!defers_indexing(dialect_)) {
    return 0;
  }
  return guarded("index_search_backlog", [&] {
    WriteScope write(*this, WriteScope::Touches::pastes_only);
    index_pending_pastes(write.sql(), std::max(max_rows, 1LL));
    const long long left = backlog(write.sql());
    write.commit();
    return left;
  });
}

}  // namespace sillypaste::store
