// SociStore: reading and writing single pastes, hits.
#include <algorithm>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "store/paste_lookup_sql.hpp"
#include "store/paste_params.hpp"
#include "store/prepared_lookups.hpp"
#include "store/soci_store.hpp"
#include "store/soci_store_detail.hpp"

namespace sillypaste::store {
namespace {

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

core::Id SociStore::insert_paste(const core::Paste& paste) { return paste_inserts_.submit(paste); }

void SociStore::insert_paste_then(core::Paste paste, PasteWritten then) {
  paste_inserts_.submit_then(
      std::move(paste), [then = std::move(then)](core::Paste written, std::optional<core::Id> id,
                                                 const std::exception_ptr& error) {
        if (id) {
          written.id = *id;
        }
        then(std::move(written), error);
      });
}

void SociStore::finish_paste_inserts() { paste_inserts_.drain(); }

ExpectedWrite SociStore::expect_paste_insert() { return paste_inserts_.expect(); }

std::vector<core::Id> SociStore::insert_pastes(std::span<const core::Paste* const> pastes) {
  return guarded("insert_paste", [&] {
    WriteScope write(*this, WriteScope::Touches::pastes_only);
    PreparedLookups& lookups = *prepared_[write.position()];
    std::vector<core::Id> ids;
    ids.reserve(pastes.size());
    try {
      if (!lookups.paste_insert) {
        lookups.paste_insert =
            std::make_unique<PreparedPasteInsert>(write.sql(), dialect_.name == "sqlite");
      }
      for (const core::Paste* paste : pastes) {
        ids.push_back(lookups.paste_insert->run(*paste));
      }
    } catch (...) {
      lookups.paste_insert.reset();  // never reuse a statement that failed
      throw;
    }
    write.commit();
    return ids;
  });
}

bool SociStore::update_paste(const core::Paste& paste) {
  return guarded("update_paste", [&] {
    WriteScope write(*this, WriteScope::Touches::pastes_only);
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
    WriteScope write(*this, WriteScope::Touches::pastes_only);
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
        lookups.paste_by_id =
            std::make_unique<PreparedPasteLookup<long long>>(sql, "p.id = :key", sqlite);
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
    WriteScope write(*this, WriteScope::Touches::pastes_only);
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
    WriteScope write(*this, WriteScope::Touches::pastes_only);
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
