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
