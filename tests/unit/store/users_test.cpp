#include <gtest/gtest.h>

#include "store_test_support.hpp"

namespace sillypaste::store::testing {
namespace {

using UsersTest = StoreTest;

TEST_F(UsersTest, create_and_read_round_trips_every_field) {
  core::User user = make_user("Jürgen");
  user.email = "j@example.org";
  user.first_name = "Jürgen";
  user.last_name = "Müller";
  user.is_staff = true;
  user.is_superuser = true;
  user.is_active = false;
  user.last_login = kNow - 5;
  const core::Id id = store_->create_user(user);
  const auto got = store_->user_by_id(id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->id, id);
  EXPECT_EQ(got->username, "Jürgen");
  EXPECT_EQ(got->password_hash, user.password_hash);
  EXPECT_EQ(got->email, user.email);
  EXPECT_EQ(got->first_name, user.first_name);
  EXPECT_EQ(got->last_name, user.last_name);
  EXPECT_TRUE(got->is_staff);
  EXPECT_TRUE(got->is_superuser);
  EXPECT_FALSE(got->is_active);
  EXPECT_FALSE(got->is_anonymous);
  EXPECT_EQ(got->date_joined, user.date_joined);
  EXPECT_EQ(got->last_login, user.last_login);

  const core::Id anonymous = store_->create_user(make_user("anon-1", true));
  const auto anon = store_->user_by_id(anonymous);
  ASSERT_TRUE(anon.has_value());
  EXPECT_TRUE(anon->is_anonymous);
  EXPECT_FALSE(anon->last_login.has_value());
  EXPECT_FALSE(store_->user_by_id(anonymous + 100).has_value());
}

TEST_F(UsersTest, usernames_are_unique_and_found_case_insensitively) {
  const core::Id id = store_->create_user(make_user("Jürgen"));
  EXPECT_EQ(store_->user_by_username("jürgen")->id, id);
  EXPECT_EQ(store_->user_by_username("JÜRGEN")->id, id);
  EXPECT_FALSE(store_->user_by_username("jurgen").has_value());
  EXPECT_THROW((void)store_->create_user(make_user("jürgen")), DuplicateUsername);
  EXPECT_THROW((void)store_->create_user(make_user("JÜRGEN")), DuplicateUsername);
  EXPECT_NO_THROW((void)store_->create_user(make_user("jurgen")));
}

TEST_F(UsersTest, update_user_writes_fields_and_guards_renames) {
  const core::Id alice = store_->create_user(make_user("alice"));
  (void)store_->create_user(make_user("bob"));
  core::User user = *store_->user_by_id(alice);
  user.username = "Alice";  // renaming to a different case of one's own name is fine
  user.is_anonymous = false;
  user.last_login = kNow;
  user.password_hash = "new";
  store_->update_user(user);
  const auto got = store_->user_by_username("ALICE");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->username, "Alice");
  EXPECT_EQ(got->last_login, kNow);
  EXPECT_EQ(got->password_hash, "new");
  user.username = "BOB";
  EXPECT_THROW(store_->update_user(user), DuplicateUsername);
  EXPECT_EQ(store_->user_by_id(alice)->username, "Alice");
}

TEST_F(UsersTest, move_pastes_gives_an_anonymous_users_pastes_to_a_real_one) {
  const core::Id anonymous = store_->create_user(make_user("anon", true));
  const core::Id real = store_->create_user(make_user("real"));
  core::Paste paste = make_paste("mine");
  paste.author_id = anonymous;
  const core::Id id = store_->insert_paste(paste);
  store_->move_pastes(anonymous, real);
  const auto view = store_->paste_by_id(id, kNow);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->paste.author_id, real);
  EXPECT_EQ(view->author_name, "real");
}

TEST_F(UsersTest, anonymous_author_is_flagged_in_views) {
  const core::Id anonymous = store_->create_user(make_user("anon", true));
  core::Paste paste = make_paste("mine");
  paste.author_id = anonymous;
  const core::Id id = store_->insert_paste(paste);
  EXPECT_TRUE(store_->paste_by_id(id, kNow)->author_is_anonymous);
}

TEST_F(UsersTest, sessions_expire_and_can_be_deleted) {
  const core::Id user = store_->create_user(make_user("alice"));
  store_->create_session({"abc", user, kNow, kNow + kHour});
  store_->create_session({"anon", std::nullopt, kNow, kNow + kHour});
  const auto session = store_->session("abc", kNow);
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(session->id, "abc");
  EXPECT_EQ(session->user_id, user);
  EXPECT_EQ(session->created, kNow);
  EXPECT_EQ(session->expires, kNow + kHour);
  EXPECT_FALSE(store_->session("anon", kNow)->user_id.has_value());
  EXPECT_FALSE(store_->session("abc", kNow + kHour).has_value());
  EXPECT_FALSE(store_->session("nope", kNow).has_value());
  store_->delete_session("abc");
  EXPECT_FALSE(store_->session("abc", kNow).has_value());
  store_->delete_session("abc");  // deleting twice is harmless
}

TEST_F(UsersTest, settings_are_stored_and_overwritten) {
  EXPECT_FALSE(store_->setting("secret_key").has_value());
  store_->set_setting("secret_key", "one");
  EXPECT_EQ(store_->setting("secret_key"), "one");
  store_->set_setting("secret_key", "two");
  EXPECT_EQ(store_->setting("secret_key"), "two");
  store_->set_setting("empty", "");
  EXPECT_EQ(store_->setting("empty"), "");
}

TEST_F(UsersTest, languages_sync_once_and_list_by_name) {
  EXPECT_EQ(store_->sync_languages({"Rust", "awk", "C++", "Rust"}), 3);
  EXPECT_EQ(store_->sync_languages({"Rust", "Zig"}), 1);
  const auto all = store_->languages();
  ASSERT_EQ(all.size(), 4U);
  EXPECT_EQ(all[0].name, "awk");
  EXPECT_EQ(all[1].name, "C++");
  EXPECT_EQ(all[3].name, "Zig");
  EXPECT_EQ(store_->language_by_id(all[1].id)->name, "C++");
  EXPECT_FALSE(store_->language_by_id(9999).has_value());
  EXPECT_EQ(store_->language_by_name("AWK")->name, "awk");
  EXPECT_FALSE(store_->language_by_name("cobol").has_value());
}

}  // namespace
}  // namespace sillypaste::store::testing
