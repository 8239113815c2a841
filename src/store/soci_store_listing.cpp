// SociStore: paste listings and statistics.
#include <algorithm>

#include "store/casefold.hpp"
#include "store/soci_store.hpp"
#include "store/soci_store_detail.hpp"

namespace sillypaste::store {
namespace {

// Fixed ORDER BY fragments: the sort key is an enum and never reaches SQL as text.
struct SortColumn {
  std::string_view expression;
  bool nullable = false;
  bool null_is_largest = false;  // a missing expiry means "never", after every date
};

[[nodiscard]] SortColumn sort_column(core::SortField field) {
  switch (field) {
    case core::SortField::kId:
      return {"p.id"};
    case core::SortField::kTitle:
      return {"p.title"};
    case core::SortField::kTimestamp:
      return {"p.timestamp"};
    case core::SortField::kExpiry:
      return {"p.expiry", true, true};
    case core::SortField::kHits:
      return {"p.hits"};
    case core::SortField::kSize:
      return {"p.size"};
    case core::SortField::kLanguage:
      return {"l.name", true, false};
    case core::SortField::kAuthor:
      return {"u.username", true, false};
  }
  return {"p.timestamp"};
}

// NULLs are placed explicitly because SQLite and PostgreSQL disagree on where they go.
[[nodiscard]] std::string order_by(const core::Sort& sort) {
  const SortColumn column = sort_column(sort.field);
  const std::string direction = sort.descending ? " DESC" : " ASC";
  std::string sql = " ORDER BY ";
  if (column.nullable) {
    const bool nulls_first = column.null_is_largest == sort.descending;
    sql += "(" + std::string(column.expression) + " IS NULL)" + (nulls_first ? " DESC" : " ASC");
    sql += ", ";
  }
  sql += std::string(column.expression) + direction + ", p.id" + direction;
  return sql;
}

[[nodiscard]] std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// The FTS5 query finding every paste whose title or body may hold `folded` (a fold_case()d
// search term), or "" when the index cannot narrow the search. FTS5's trigram tokenizer
// folds case like fold_case() except that fold_case() also maps U+0130 (capital I with dot)
// to 'i': the term is cut at each 'i' and every piece of three or more characters must
// occur, as a quoted phrase ("" escapes a quote). A superset of the matches, never fewer.
[[nodiscard]] std::string fts5_query(std::string_view folded) {
  std::string query;
  std::size_t start = 0;
  while (start <= folded.size()) {
    std::size_t stop = folded.find('i', start);
    if (stop == std::string_view::npos) {
      stop = folded.size();
    }
    const std::string_view piece = folded.substr(start, stop - start);
    if (code_points(piece) >= 3) {
      query += query.empty() ? "\"" : " AND \"";
      for (const char c : piece) {
        query += c == '"' ? std::string("\"\"") : std::string(1, c);
      }
      query += '"';
    }
    start = stop + 1;
  }
  return query;
}

// Whether the FTS5 query of `folded` finds exactly the titles and bodies that hold it, so the
// LIKEs need not read each candidate's row: ASCII terms without 'i' (fts5_query cuts there).
// FTS5 also folds U+212A (Kelvin sign) to 'k' and U+017F (long s) to 's', as Unicode case
// folding does and fold_case() does not: such a term also finds those spellings.
[[nodiscard]] bool fts5_query_is_exact(std::string_view folded) {
  return folded.size() >= 3 && std::all_of(folded.begin(), folded.end(), [](char c) {
           return static_cast<unsigned char>(c) < 0x80 && c != 'i';
         });
}

// The WHERE clause of a listing and the values it binds; bind() on every statement using it.
class ListingFilter {
 public:
  ListingFilter(const core::PasteQuery& query, const SqlDialect& dialect)
      : now_(query.now),
        viewer_(query.viewer.user_id.value_or(0)),
        author_(query.author_id.value_or(0)),
        language_(query.language_id.value_or(0)),
        pattern_(like_pattern(fold_case(query.search))) {
    const std::string_view fold = dialect.fold_function;
    where_ = " WHERE " + std::string(kNotExpired) + " AND p.burn = 0";
    if (!query.viewer.is_staff) {
      has_viewer_ = query.viewer.user_id.has_value();
      where_ += has_viewer_ ? " AND (p.is_private = 0 OR p.author_id = :viewer)"
                            : " AND p.is_private = 0";
    }
    if (query.author_id) {
      where_ += " AND p.author_id = :author";
    }
    if (query.language_id) {
      where_ += " AND p.language_id = :language";
    }
    exact_index_ = dialect.search_index == SqlDialect::SearchIndex::kFts5Trigram &&
                   fts5_query_is_exact(fold_case(query.search));
    if (!query.search.empty() && !exact_index_) {
      const std::string f(fold);
      // Anonymous users' generated names are never shown, so they are not searched either.
      where_ += " AND (" + f + "(p.title) LIKE :q1 ESCAPE '\\' OR " + f +
                "(p.body) LIKE :q2 ESCAPE '\\' OR (u.is_anonymous = 0 AND " + f +
                "(u.username) LIKE :q3 ESCAPE '\\'))";
      has_search_ = true;
    }
    if (!query.search.empty()) {
      add_index_lookup(dialect, query.search);
    }
    has_author_ = query.author_id.has_value();
    has_language_ = query.language_id.has_value();
  }

  [[nodiscard]] const std::string& where() const { return where_; }
  // Whether the WHERE reads a paste's author row (a search of author names); otherwise a
  // count needs no joins, which SQLite would still make for every row counted.
  [[nodiscard]] bool reads_authors() const { return has_search_; }
  // The candidates of the index are the matches: the WHERE reads no column of the row
  // outside pastes_visible_idx and pastes_listing_idx (SQLite only).
  [[nodiscard]] bool exact_index() const { return exact_index_; }

  void bind(soci::statement& st) const {
    st.exchange(soci::use(now_, "now"));
    if (has_viewer_) {
      st.exchange(soci::use(viewer_, "viewer"));
    }
    if (has_author_) {
      st.exchange(soci::use(author_, "author"));
    }
    if (has_language_) {
      st.exchange(soci::use(language_, "language"));
    }
    if (has_search_) {
      st.exchange(soci::use(pattern_, "q1"));
      st.exchange(soci::use(pattern_, "q2"));
      st.exchange(soci::use(pattern_, "q3"));
    }
    if (index_lookup_) {
      st.exchange(soci::use(index_term_, "s1"));
      if (index_second_term_) {
        st.exchange(soci::use(index_term_, "s2"));
      }
      st.exchange(soci::use(pattern_, "s3"));
      if (unindexed_check_) {
        st.exchange(soci::use(pattern_, "s4"));
        st.exchange(soci::use(pattern_, "s5"));
      }
    }
  }

 private:
  long long now_, viewer_, author_, language_;
  // Terms of three or more characters also narrow the pastes to candidates found through the
  // text index (or by author name); the LIKEs above still decide, so results are the same.
  void add_index_lookup(const SqlDialect& dialect, std::string_view search) {
    if (code_points(search) < 3) {
      return;  // a trigram index cannot narrow shorter terms
    }
    const std::string f(dialect.fold_function);
    std::string candidates;
    if (dialect.search_index == SqlDialect::SearchIndex::kFts5Trigram) {
      index_term_ = fts5_query(fold_case(search));
      if (index_term_.empty()) {
        return;
      }
      // Pastes above the mark are not in the index yet (migration 0005): all of them are
      // candidates too, and when no LIKE follows (an exact term), they are checked here.
      candidates =
          "SELECT rowid FROM pastes_search WHERE pastes_search MATCH :s1 UNION ALL "
          "SELECT id FROM pastes WHERE id > (SELECT indexed_through FROM search_progress)";
      if (exact_index_) {
        candidates +=
            " AND (" + f + "(title) LIKE :s4 ESCAPE '\\' OR " + f + "(body) LIKE :s5 ESCAPE '\\')";
        unindexed_check_ = true;
      }
    } else {
      index_term_ = pattern_;
      index_second_term_ = true;
      candidates = "SELECT id FROM pastes WHERE " + f + "(title) LIKE :s1 ESCAPE '\\' OR " + f +
                   "(body) LIKE :s2 ESCAPE '\\'";
    }
    where_ += " AND p.id IN (" + candidates +
              " UNION ALL SELECT sp.id FROM pastes sp JOIN users su ON su.id = sp.author_id"
              " WHERE su.is_anonymous = 0 AND " +
              f + "(su.username) LIKE :s3 ESCAPE '\\')";
    index_lookup_ = true;
  }

  std::string pattern_;
  std::string index_term_;
  std::string where_;
  bool index_lookup_ = false, index_second_term_ = false, exact_index_ = false;
  bool unindexed_check_ = false;
  bool has_viewer_ = false, has_author_ = false, has_language_ = false, has_search_ = false;
};

// kPasteJoins for the page of an exact search, telling SQLite which way to find it (it has
// no statistics to choose with): newest first, walking pastes_listing_idx until the page is
// full visits about (offset + limit) * pastes / matches entries; sorting the matches reads
// each of their rows, about 20 times the cost of an entry. Walking wins for common words
// (20,000 matches in 1,000,000 pastes: 15 ms against 75 ms), sorting for rare ones.
[[nodiscard]] std::string page_joins(soci::session& sql, const ListingFilter& filter,
                                     const core::PasteQuery& query, long long matches) {
  std::string joins(kPasteJoins);
  if (!filter.exact_index() || !query.with_total ||
      query.sort.field != core::SortField::kTimestamp) {
    return joins;
  }
  long long last_id = 0;
  sql << "SELECT COALESCE(MAX(id), 0) FROM pastes", soci::into(last_id);
  const long long visits = (std::max(query.offset, 0) + std::max(query.limit, 0)) * last_id;
  const bool walk = matches > 0 && matches * matches * 20 >= visits;
  const std::string from = " FROM pastes p";
  return from + (walk ? " INDEXED BY pastes_listing_idx" : " NOT INDEXED") +
         joins.substr(from.size());
}

// The FROM clause of a listing's query: the pastes, with their authors and languages
// joined only when `joins` (SQLite makes a LEFT JOIN for every row even when unused).
[[nodiscard]] std::string pastes_from(bool joins) {
  return std::string(joins ? kPasteJoins : std::string_view(" FROM pastes p"));
}

// The query counting a listing's matches.
[[nodiscard]] std::string count_sql(const ListingFilter& filter) {
  // An exact search reads each candidate's visibility from an index, not from its row.
  if (filter.exact_index()) {
    return "SELECT COUNT(*) FROM pastes p INDEXED BY pastes_visible_idx" + filter.where();
  }
  return "SELECT COUNT(*)" + pastes_from(filter.reads_authors()) + filter.where();
}

// The ids of a page, in order. The rows its offset skips are walked in an index only, with
// no join unless the filter or the order reads authors or languages; then only the page's
// own rows are read (20 ms against 2 for page 100 of 100,000 pastes).
[[nodiscard]] std::string page_ids_sql(const ListingFilter& filter, const core::Sort& sort) {
  const bool joins = filter.reads_authors() || sort.field == core::SortField::kLanguage ||
                     sort.field == core::SortField::kAuthor;
  return "SELECT p.id" + pastes_from(joins) + filter.where() + order_by(sort) +
         " LIMIT :limit OFFSET :offset";
}

}  // namespace

core::PastePage SociStore::list_pastes(const core::PasteQuery& query) {
  return guarded("list_pastes", [&] {
    soci::session sql(pool_);
    Transaction read(sql, dialect_.begin_read);  // count and page from one snapshot
    const ListingFilter filter(query, dialect_);
    core::PastePage page;
    if (query.with_total) {
      long long total = 0;
      soci::statement st(sql);
      st.exchange(soci::into(total));
      filter.bind(st);
      prepare(st, count_sql(filter));
      st.execute(true);
      page.total = total;
    }
    const long long limit = std::clamp(query.limit, 0, kMaxPageSize);
    const long long offset = std::max(query.offset, 0);
    if (limit > 0 && (!query.with_total || offset < page.total)) {
      PasteRow row;
      soci::statement st(sql);
      row.bind(st, query.with_bodies);
      filter.bind(st);
      st.exchange(soci::use(limit, "limit"));
      st.exchange(soci::use(offset, "offset"));
      const std::string columns = "SELECT " + std::string(kPasteColumns) +
                                  std::string(query.with_bodies ? kPasteBodyColumns : "");
      prepare(st, filter.exact_index()
                      ? columns + page_joins(sql, filter, query, page.total) + filter.where() +
                            order_by(query.sort) + " LIMIT :limit OFFSET :offset"
                      : columns + std::string(kPasteJoins) + " WHERE p.id IN (" +
                            page_ids_sql(filter, query.sort) + ")" + order_by(query.sort));
      if (st.execute(true)) {
        do {
          page.items.push_back(row.view());
        } while (st.fetch());
      }
    }
    read.commit();
    return page;
  });
}

std::vector<std::string> SociStore::explain_listing(const core::PasteQuery& query,
                                                    Explained which) {
  return guarded("explain_listing", [&] {
    soci::session sql(pool_);
    Transaction read(sql, dialect_.begin_read);
    const bool sqlite = dialect_.search_index == SqlDialect::SearchIndex::kFts5Trigram;
    if (!sqlite) {
      sql << "SET LOCAL enable_seqscan = off";  // tiny test tables would be scanned anyway
    }
    const ListingFilter filter(query, dialect_);
    std::vector<std::string> plan;
    std::string line;
    int id = 0, parent = 0, unused = 0;
    soci::statement st(sql);
    if (sqlite) {
      st.exchange(soci::into(id));
      st.exchange(soci::into(parent));
      st.exchange(soci::into(unused));
    }
    st.exchange(soci::into(line));
    filter.bind(st);
    prepare(st, std::string(sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") +
                    (which == Explained::kCount ? count_sql(filter)
                                                : "SELECT p.id" + std::string(kPasteJoins) +
                                                      filter.where() + order_by(query.sort)));
    if (st.execute(true)) {
      do {
        plan.push_back(line);
      } while (st.fetch());
    }
    read.commit();
    return plan;
  });
}

std::vector<core::PasteView> SociStore::top_pastes(int limit, core::Micros now) {
  return guarded("top_pastes", [&] {
    std::vector<core::PasteView> result;
    const long long count = std::clamp(limit, 0, kMaxPageSize);
    if (count == 0) {
      return result;
    }
    soci::session sql(pool_);
    const long long now_value = now;
    PasteRow row;
    soci::statement st(sql);
    row.bind(st, false);
    st.exchange(soci::use(now_value, "now"));
    st.exchange(soci::use(count, "limit"));
    prepare(st, "SELECT " + std::string(kPasteColumns) + std::string(kPasteJoins) + " WHERE " +
                    std::string(kNotExpired) +
                    " AND p.burn = 0 AND p.is_private = 0 ORDER BY p.hits DESC, p.id DESC "
                    "LIMIT :limit");
    if (st.execute(true)) {
      do {
        result.push_back(row.view());
      } while (st.fetch());
    }
    return result;
  });
}

core::Stats SociStore::stats() {
  return guarded("stats", [&] {
    soci::session sql(pool_);
    Transaction read(sql, dialect_.begin_read);
    core::Stats stats;
    long long count = 0, bytes = 0;
    sql << "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM pastes", soci::into(count),
        soci::into(bytes);
    stats.paste_count = count;
    stats.paste_bytes = bytes;
    long long expired = 0, reclaimed = 0, pruned = 0;
    sql << "SELECT COALESCE(SUM(paste_count), 0), COALESCE(SUM(reclaimed_space), 0), "
           "COALESCE(SUM(user_count), 0) FROM expiry_logs",
        soci::into(expired), soci::into(reclaimed), soci::into(pruned);
    stats.total_expired = expired;
    stats.total_reclaimed = reclaimed;
    stats.total_users_pruned = pruned;
    long long anonymous = 0, registered = 0;
    sql << "SELECT COALESCE(SUM(is_anonymous), 0), COALESCE(SUM(1 - is_anonymous), 0) "
           "FROM users",
        soci::into(anonymous), soci::into(registered);
    stats.anonymous_users = anonymous;
    stats.registered_users = registered;
    auto last = read_expiry_logs(sql, 1, 0);
    if (!last.empty()) {
      stats.last_expiry = std::move(last.front());
    }
    read.commit();
    return stats;
  });
}

}  // namespace sillypaste::store
