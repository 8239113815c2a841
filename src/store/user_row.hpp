#pragma once

#include <soci/soci.h>

#include <string>
#include <string_view>

#include "core/model.hpp"
#include "store/casefold.hpp"
#include "store/soci_store_detail.hpp"

namespace sillypaste::store {

inline constexpr std::string_view kUserColumns =
    "SELECT id, username, password_hash, email, first_name, last_name, is_staff, "
    "is_superuser, is_active, is_anonymous, date_joined, last_login FROM users";

// Both directions of a users row: into() for reads, use() (named) for writes.
class UserRow {
 public:
  UserRow() = default;
  explicit UserRow(const core::User& user)
      : id_(user.id),
        date_joined_(user.date_joined),
        last_login_(user.last_login.value_or(0)),
        is_staff_(user.is_staff ? 1 : 0),
        is_superuser_(user.is_superuser ? 1 : 0),
        is_active_(user.is_active ? 1 : 0),
        is_anonymous_(user.is_anonymous ? 1 : 0),
        username_(user.username),
        username_lower_(fold_case(user.username)),
        password_hash_(user.password_hash),
        email_(user.email),
        first_name_(user.first_name),
        last_name_(user.last_name),
        last_login_ind_(null_if(!user.last_login)) {}

  void bind_into(soci::statement& st) {
    st.exchange(soci::into(id_));
    st.exchange(soci::into(username_));
    st.exchange(soci::into(password_hash_));
    st.exchange(soci::into(email_));
    st.exchange(soci::into(first_name_));
    st.exchange(soci::into(last_name_));
    st.exchange(soci::into(is_staff_));
    st.exchange(soci::into(is_superuser_));
    st.exchange(soci::into(is_active_));
    st.exchange(soci::into(is_anonymous_));
    st.exchange(soci::into(date_joined_));
    st.exchange(soci::into(last_login_, last_login_ind_));
  }

  // Every column but id; with_id adds :id for updates.
  void bind_use(soci::statement& st, bool with_id) {
    st.exchange(soci::use(username_, "username"));
    st.exchange(soci::use(username_lower_, "username_lower"));
    st.exchange(soci::use(password_hash_, "password_hash"));
    st.exchange(soci::use(email_, "email"));
    st.exchange(soci::use(first_name_, "first_name"));
    st.exchange(soci::use(last_name_, "last_name"));
    st.exchange(soci::use(is_staff_, "is_staff"));
    st.exchange(soci::use(is_superuser_, "is_superuser"));
    st.exchange(soci::use(is_active_, "is_active"));
    st.exchange(soci::use(is_anonymous_, "is_anonymous"));
    st.exchange(soci::use(date_joined_, "date_joined"));
    st.exchange(soci::use(last_login_, last_login_ind_, "last_login"));
    if (with_id) {
      st.exchange(soci::use(id_, "id"));
    }
  }

  [[nodiscard]] core::User user() const {
    core::User user;
    user.id = id_;
    user.username = username_;
    user.password_hash = password_hash_;
    user.email = email_;
    user.first_name = first_name_;
    user.last_name = last_name_;
    user.is_staff = is_staff_ != 0;
    user.is_superuser = is_superuser_ != 0;
    user.is_active = is_active_ != 0;
    user.is_anonymous = is_anonymous_ != 0;
    user.date_joined = date_joined_;
    user.last_login = optional_of<core::Micros>(last_login_, last_login_ind_);
    return user;
  }

  [[nodiscard]] const std::string& username_lower() const { return username_lower_; }
  [[nodiscard]] long long id() const { return id_; }

 private:
  long long id_ = 0, date_joined_ = 0, last_login_ = 0;
  int is_staff_ = 0, is_superuser_ = 0, is_active_ = 1, is_anonymous_ = 0;
  std::string username_, username_lower_, password_hash_, email_, first_name_, last_name_;
  soci::indicator last_login_ind_ = soci::i_null;
};

}  // namespace sillypaste::store
