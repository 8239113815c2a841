#pragma once

#include "core/model.hpp"
#include "core/paste_query.hpp"

namespace sillypaste::core {

[[nodiscard]] inline bool is_owner(const Paste& paste, const Viewer& viewer) {
  return viewer.user_id && paste.author_id && *viewer.user_id == *paste.author_id;
}

// Edit and delete: the author (a real or an anonymous session user) and staff.
[[nodiscard]] inline bool can_modify(const Paste& paste, const Viewer& viewer) {
  return viewer.is_staff || is_owner(paste, viewer);
}

// Reaching a paste by /<id>/: public ones, private ones imported from the Django app
// (their id links were shared), and otherwise only the owner and staff.
[[nodiscard]] inline bool can_view_by_id(const Paste& paste, const Viewer& viewer) {
  return !paste.is_private || paste.legacy_id_access || can_modify(paste, viewer);
}

}  // namespace sillypaste::core
