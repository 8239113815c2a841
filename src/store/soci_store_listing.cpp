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

// The WHERE clause of a listing and the values it binds; bind() on every statement using it.
class ListingFilter {
 public:
  ListingFilter(const core::PasteQuery& query, std::string_view fold)
      : now_(query.now),
        viewer_(query.viewer.user_id.value_or(0)),
        author_(query.author_id.value_or(0)),
        language_(query.language_id.value_or(0)),
        pattern_(like_pattern(fold_case(query.search))) {
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
    if (!query.search.empty()) {
      const std::string f(fold);
      // Anonymous users' generated names are never shown, so they are not searched either.
      where_ += " AND (" + f + "(p.title) LIKE :q1 ESCAPE '\\' OR " + f +
                "(p.body) LIKE :q2 ESCAPE '\\' OR (u.is_anonymous = 0 AND " + f +
                "(u.username) LIKE :q3 ESCAPE '\\'))";
    }
    has_author_ = query.author_id.has_value();
    has_language_ = query.language_id.has_value();
    has_search_ = !query.search.empty();
  }

  [[nodiscard]] const std::string& where() const { return where_; }

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
  }

 private:
  long long now_, viewer_, author_, language_;
  std::string pattern_;
  std::string where_;
  bool has_viewer_ = false, has_author_ = false, has_language_ = false, has_search_ = false;
};

}  // namespace

core::PastePage SociStore::list_pastes(const core::PasteQuery& query) {
  return guarded("list_pastes", [&] {
    soci::session sql(pool_);
    Transaction read(sql, dialect_.begin_read);  // count and page from one snapshot
    const ListingFilter filter(query, dialect_.fold_function);
    core::PastePage page;
    {
      long long total = 0;
      soci::statement st(sql);
      st.exchange(soci::into(total));
      filter.bind(st);
      prepare(st, "SELECT COUNT(*)" + std::string(kPasteJoins) + filter.where());
      st.execute(true);
      page.total = total;
    }
    const long long limit = std::clamp(query.limit, 0, kMaxPageSize);
    const long long offset = std::max(query.offset, 0);
    if (limit > 0 && offset < page.total) {
      PasteRow row;
      soci::statement st(sql);
      row.bind(st, query.with_bodies);
      filter.bind(st);
      st.exchange(soci::use(limit, "limit"));
      st.exchange(soci::use(offset, "offset"));
      prepare(st, "SELECT " + std::string(kPasteColumns) +
                      std::string(query.with_bodies ? kPasteBodyColumns : "") +
                      std::string(kPasteJoins) +
                      filter.where() + order_by(query.sort) + " LIMIT :limit OFFSET :offset");
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
