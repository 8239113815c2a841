#pragma once

#include <soci/soci.h>

#include <string>

#include "core/model.hpp"
#include "store/soci_store_detail.hpp"

namespace sillypaste::store {

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

  // The values of kInsertPasteSql, bound by position: in the order of its columns.
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

// One new paste, its id returned. Executed once per paste of a group commit, prepared once
// per connection (PreparedPasteInsert): parsing one multi-row INSERT per group cost more
// than the separate executions do, now that the trigram index is not written by it.
inline constexpr std::string_view kInsertPasteSql =
    "INSERT INTO pastes (title, body, timestamp, expiry, is_private, secret, "
    "legacy_id_access, burn, hits, freeze_hits, size, author_id, language_id, body_html, "
    "rendered_html) VALUES (:p0, :p1, :p2, :p3, :p4, :p5, :p6, :p7, :p8, :p9, :p10, :p11, "
    ":p12, :p13, :p14) RETURNING id";

}  // namespace sillypaste::store
