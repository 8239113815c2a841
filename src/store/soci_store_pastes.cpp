// SociStore: reading and writing single pastes, hits.
#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "store/soci_store.hpp"
#include "store/paste_lookup_sql.hpp"
#include "store/prepared_lookups.hpp"
#include "store/soci_store_detail.hpp"

namespace sillypaste::store {
namespace {

// The bound values of a paste being written; names match the :placeholders below.
class PasteParams {
 public:
  explicit PasteParams(const core::Paste& paste)
      : id_(paste.id),
        timestamp_(paste.timestamp),
        expiry_(paste.expiry.value_or(0)),
        hits_(paste.hits),
        size_(paste.size),
        author_id_(paste.author_id.value_or(0)),
        language_id_(paste.language_id.value_or(0)),
        is_private_(paste.is_private ? 1 : 0),
        legacy_(paste.legacy_id_access ? 1 : 0),
        burn_(paste.burn ? 1 : 0),
        freeze_hits_(paste.freeze_hits ? 1 : 0),
        title_(paste.title),
        body_(paste.body),
        secret_(paste.secret),
        body_html_(paste.body_html),
        rendered_(paste.rendered_html.value_or("")),
        expiry_ind_(null_if(!paste.expiry)),
        secret_ind_(null_if(paste.secret.empty())),
        author_ind_(null_if(!paste.author_id)),
        language_ind_(null_if(!paste.language_id)),
        rendered_ind_(null_if(!paste.rendered_html)) {}

  // One row of insert_pastes_sql(), bound by position: in the order of its columns.
  void bind_insert_row(soci::statement& st) {
    st.exchange(soci::use(title_));
    st.exchange(soci::use(body_));
    st.exchange(soci::use(timestamp_));
    st.exchange(soci::use(expiry_, expiry_ind_));
    st.exchange(soci::use(is_private_));
    st.exchange(soci::use(secret_, secret_ind_));
    st.exchange(soci::use(legacy_));
    st.exchange(soci::use(burn_));
    st.exchange(soci::use(hits_));
    st.exchange(soci::use(freeze_hits_));
    st.exchange(soci::use(size_));
    st.exchange(soci::use(author_id_, author_ind_));
    st.exchange(soci::use(language_id_, language_ind_));
    st.exchange(soci::use(body_html_));
    st.exchange(soci::use(rendered_, rendered_ind_));
  }

  // Named, for update_paste's statement.
  void bind_update(soci::statement& st) {
    st.exchange(soci::use(title_, "title"));
    st.exchange(soci::use(body_, "body"));
    st.exchange(soci::use(expiry_, expiry_ind_, "expiry"));
    st.exchange(soci::use(is_private_, "is_private"));
    st.exchange(soci::use(secret_, secret_ind_, "secret"));
    st.exchange(soci::use(legacy_, "legacy"));
    st.exchange(soci::use(burn_, "burn"));
    st.exchange(soci::use(freeze_hits_, "freeze_hits"));
    st.exchange(soci::use(size_, "size"));
    st.exchange(soci::use(author_id_, author_ind_, "author_id"));
    st.exchange(soci::use(language_id_, language_ind_, "language_id"));
    st.exchange(soci::use(body_html_, "body_html"));
    st.exchange(soci::use(rendered_, rendered_ind_, "rendered"));
    st.exchange(soci::use(id_, "id"));
  }

 private:
  long long id_, timestamp_, expiry_, hits_, size_, author_id_, language_id_;
  int is_private_, legacy_, burn_, freeze_hits_;
  std::string title_, body_, secret_, body_html_, rendered_;
  soci::indicator expiry_ind_, secret_ind_, author_ind_, language_ind_, rendered_ind_;
};

// One INSERT of `rows` pastes (bound with PasteParams::bind_insert_row, row by row)
// returning their ids. One statement rather than one per paste: SQLite's FTS5 writes its
// pending index data to disk at the end of each statement that fires its trigger, which
// was most of the cost of a create.
[[nodiscard]] std::string insert_pastes_sql(std::size_t rows) {
  constexpr std::size_t kColumns = 15;
  std::string sql =
      "INSERT INTO pastes (title, body, timestamp, expiry, is_private, secret, "
      "legacy_id_access, burn, hits, freeze_hits, size, author_id, language_id, body_html, "
      "rendered_html) VALUES ";
  sql.reserve(sql.size() + rows * kColumns * 8 + 16);
  std::size_t placeholder = 0;
  for (std::size_t row = 0; row < rows; ++row) {
    sql += row == 0 ? "(" : ", (";
    for (std::size_t column = 0; column < kColumns; ++column) {
      if (column != 0) {
        sql += ", ";
      }
      sql += ":p";  // distinct names: SQLite binds one name once, wherever it appears
      sql += std::to_string(placeholder++);
    }
    sql += ")";
  }
  sql += " RETURNING id";
  return sql;
}

// One paste with bodies, or nothing. `condition` may use :key (bound to key) and :now.
template <typename Key>
[[nodiscard]] std::optional<core::PasteView> fetch_paste(soci::session& sql,
                                                         std::string_view condition, const Key& key,
                                                         core::Micros now) {
  PasteRow row;
  const long long now_value = now;
  soci::statement st(sql);
  row.bind(st, true);
  st.exchange(soci::use(key, "key"));
  st.exchange(soci::use(now_value, "now"));
  prepare(st, paste_lookup_sql(condition));
  if (!st.execute(true)) {
    return std::nullopt;
  }
  return row.view();
}

}  // namespace

void PasteRow::bind(soci::statement& st, bool with_bodies) {
  with_bodies_ = with_bodies;
  st.exchange(soci::into(id_));
  st.exchange(soci::into(title_));
  st.exchange(soci::into(timestamp_));
  st.exchange(soci::into(expiry_, expiry_ind_));
  st.exchange(soci::into(is_private_));
  st.exchange(soci::into(secret_, secret_ind_));
  st.exchange(soci::into(legacy_));
  st.exchange(soci::into(burn_));
  st.exchange(soci::into(hits_));
  st.exchange(soci::into(freeze_hits_));
  st.exchange(soci::into(size_));
  st.exchange(soci::into(author_id_, author_id_ind_));
  st.exchange(soci::into(language_id_, language_id_ind_));
  st.exchange(soci::into(author_name_, author_name_ind_));
  st.exchange(soci::into(author_anonymous_, author_anonymous_ind_));
  st.exchange(soci::into(language_name_, language_name_ind_));
  if (with_bodies) {
    st.exchange(soci::into(body_));
    st.exchange(soci::into(body_html_));
    st.exchange(soci::into(rendered_, rendered_ind_));
  }
}

core::PasteView PasteRow::view() const {
  core::PasteView view;
  core::Paste& paste = view.paste;
  paste.id = id_;
  paste.title = title_;
  paste.timestamp = timestamp_;
  paste.expiry = optional_of<core::Micros>(expiry_, expiry_ind_);
  paste.is_private = is_private_ != 0;
  paste.secret = secret_ind_ == soci::i_ok ? secret_ : std::string();
  paste.legacy_id_access = legacy_ != 0;
  paste.burn = burn_ != 0;
  paste.hits = hits_;
  paste.freeze_hits = freeze_hits_ != 0;
  paste.size = size_;
  paste.author_id = optional_of<core::Id>(author_id_, author_id_ind_);
  paste.language_id = optional_of<core::Id>(language_id_, language_id_ind_);
  if (with_bodies_) {
    paste.body = body_;
    paste.body_html = body_html_;
    paste.rendered_html = optional_of(rendered_, rendered_ind_);
  }
  view.author_name = author_name_ind_ == soci::i_ok ? author_name_ : std::string();
  view.author_is_anonymous = author_anonymous_ind_ == soci::i_ok && author_anonymous_ != 0;
  view.language_name = language_name_ind_ == soci::i_ok ? language_name_ : std::string();
  return view;
}

core::Id SociStore::insert_paste(const core::Paste& paste) {
  return paste_inserts_.submit(paste);
}

std::vector<core::Id> SociStore::insert_pastes(std::span<const core::Paste* const> pastes) {
  return guarded("insert_paste", [&] {
    WriteScope write(*this);
    std::vector<PasteParams> params;
    params.reserve(pastes.size());
    for (const core::Paste* paste : pastes) {
      params.emplace_back(*paste);
    }
    std::vector<core::Id> ids;
    ids.reserve(pastes.size());
    {  // SQLite cannot commit while the RETURNING statement is alive
      long long id = 0;
      soci::statement st(write.sql());
      for (PasteParams& row : params) {
        row.bind_insert_row(st);
      }
      st.exchange(soci::into(id));
      prepare(st, insert_pastes_sql(pastes.size()));
      if (st.execute(true)) {
        do {
          ids.push_back(id);
        } while (st.fetch());
      }
    }
    if (ids.size() != pastes.size()) {
      throw StoreError("insert_paste: " + std::to_string(ids.size()) + " ids returned for " +
                       std::to_string(pastes.size()) + " pastes");
    }
    // RETURNING promises no order; ids grow in the order of the VALUES rows.
    std::sort(ids.begin(), ids.end());
    write.commit();
    return ids;
  });
}

bool SociStore::update_paste(const core::Paste& paste) {
  return guarded("update_paste", [&] {
    WriteScope write(*this);
    PasteParams params(paste);
    bool changed = false;
    {
      soci::statement st(write.sql());
      params.bind_update(st);
      prepare(st,
              "UPDATE pastes SET title = :title, body = :body, expiry = :expiry, "
              "is_private = :is_private, secret = :secret, legacy_id_access = :legacy, "
              "burn = :burn, freeze_hits = :freeze_hits, size = :size, author_id = :author_id, "
              "language_id = :language_id, body_html = :body_html, rendered_html = :rendered "
              "WHERE id = :id");
      st.execute(true);
      changed = st.get_affected_rows() > 0;
    }
    write.commit();
    return changed;
  });
}

bool SociStore::delete_paste(core::Id id) {
  return guarded("delete_paste", [&] {
    WriteScope write(*this);
    const long long wanted = id;
    bool deleted = false;
    {
      soci::statement st =
          (write.sql().prepare << "DELETE FROM pastes WHERE id = :id", soci::use(wanted));
      st.execute(true);
      deleted = st.get_affected_rows() > 0;
    }
    write.commit();
    return deleted;
  });
}

std::optional<core::PasteView> SociStore::paste_by_id(core::Id id, core::Micros now) {
  return guarded("paste_by_id", [&] {
    const bool sqlite = dialect_.name == "sqlite";
    return with_prepared([&](soci::session& sql, PreparedLookups& lookups) {
      if (!lookups.paste_by_id) {
        lookups.paste_by_id = std::make_unique<PreparedPasteLookup<long long>>(sql, "p.id = :key", sqlite);
      }
      return lookups.paste_by_id->run(id, now);
    });
  });
}

std::optional<core::PasteView> SociStore::paste_by_secret(std::string_view secret,
                                                          core::Micros now) {
  return guarded("paste_by_secret", [&]() -> std::optional<core::PasteView> {
    if (secret.empty()) {
      return std::nullopt;
    }
    const bool sqlite = dialect_.name == "sqlite";
    return with_prepared([&](soci::session& sql, PreparedLookups& lookups) {
      if (!lookups.paste_by_secret) {
        lookups.paste_by_secret =
            std::make_unique<PreparedPasteLookup<std::string>>(sql, "p.secret = :key", sqlite);
      }
      return lookups.paste_by_secret->run(std::string(secret), now);
    });
  });
}

std::optional<core::PasteView> SociStore::take_paste(core::Id id, core::Micros now) {
  return guarded("take_paste", [&] {
    WriteScope write(*this);
    const long long key = id;
    auto found = fetch_paste(write.sql(), "p.id = :key AND p.burn = 1", key, now);
    if (found) {
      write.sql() << "DELETE FROM pastes WHERE id = :id", soci::use(key);
      write.commit();
    }
    return found;
  });
}

void SociStore::add_hits(const std::vector<std::pair<core::Id, std::int64_t>>& increments) {
  if (increments.empty()) {
    return;
  }
  guarded("add_hits", [&] {
    WriteScope write(*this);
    {
      long long count = 0, id = 0;
      soci::statement st = (write.sql().prepare << "UPDATE pastes SET hits = hits + :n "
                                                   "WHERE id = :id AND freeze_hits = 0",
                            soci::use(count), soci::use(id));
      for (const auto& [paste_id, n] : increments) {
        if (n == 0) {
          continue;
        }
        count = n;
        id = paste_id;
        st.execute(true);
      }
    }
    write.commit();
  });
}

}  // namespace sillypaste::store
