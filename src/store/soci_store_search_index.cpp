// SociStore: keeping SQLite's trigram index caught up with new pastes (migration 0005).
#include <algorithm>

#include "store/soci_store.hpp"
#include "store/soci_store_detail.hpp"

namespace sillypaste::store {
namespace {

[[nodiscard]] bool defers_indexing(const SqlDialect& dialect) {
  return dialect.search_index == SqlDialect::SearchIndex::kFts5Trigram;
}

// Pages of the index one tidy_search_index() step writes at most: a few milliseconds.
constexpr int kTidyPages = 200;

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
    WriteScope write(*this);
    index_pending_pastes(write.sql(), std::max(max_rows, 1LL));
    const long long left = backlog(write.sql());
    write.commit();
    return left;
  });
}

bool SociStore::tidy_search_index() {
  if (!defers_indexing(dialect_)) {
    return false;
  }
  return guarded("tidy_search_index", [&] {
    WriteScope write(*this);
    long long before = 0, after = 0;
    write.sql() << "SELECT total_changes()", soci::into(before);
    // A positive page count merges only levels holding at least 'usermerge' (4) segments;
    // FTS5 counts 2 or more changes when it did any work.
    write.sql() << "INSERT INTO pastes_search (pastes_search, rank) VALUES ('merge', :pages)",
        soci::use(kTidyPages);
    write.sql() << "SELECT total_changes()", soci::into(after);
    write.commit();
    return after - before >= 2;
  });
}

}  // namespace sillypaste::store
