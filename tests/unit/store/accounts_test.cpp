#include <gtest/gtest.h>

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/soci_store.hpp"
#include "store_test_support.hpp"

namespace sillypaste::store::testing {
namespace {

using AccountsTest = StoreTest;

// The id of the user holding a token key, through Store::user_by_token.
std::optional<core::Id> token_holder(Store& store, std::string_view key) {
  const auto user = store.user_by_token(key);
  return user ? std::optional<core::Id>(user->id) : std::nullopt;
}

std::vector<std::string> names(const core::UserPage& page) {
  std::vector<std::string> out;
  for (const core::User& user : page.items) {
    out.push_back(user.username);
  }
  return out;
}

constexpr std::string_view kKeyA = "0123456789abcdef0123456789abcdef01234567";
constexpr std::string_view kKeyB = "fedcba9876543210fedcba9876543210fedcba98";

TEST_F(AccountsTest, list_users_filters_anonymous_and_orders_by_id) {
  (void)store_->create_user(make_user("carol"));
  (void)store_->create_user(make_user("anon-1", true));
  (void)store_->create_user(make_user("alice"));
  (void)store_->create_user(make_user("anon-2", true));

  core::UserQuery query;
  core::UserPage page = store_->list_users(query);
  EXPECT_EQ(page.total, 2);
  EXPECT_EQ(names(page), (std::vector<std::string>{"carol", "alice"}));
  for (const core::User& user : page.items) {
    EXPECT_FALSE(user.is_anonymous);
    EXPECT_EQ(user.password_hash, "argon2id$hash");
  }

  query.include_anonymous = true;
  page = store_->list_users(query);
  EXPECT_EQ(page.total, 4);
  EXPECT_EQ(names(page), (std::vector<std::string>{"carol", "anon-1", "alice", "anon-2"}));
}

TEST_F(AccountsTest, list_users_searches_case_insensitively_and_literally) {
  (void)store_->create_user(make_user("Jürgen"));
  (void)store_->create_user(make_user("JÜRG_x"));
  (void)store_->create_user(make_user("jurgen"));
  (void)store_->create_user(make_user("jürg%anon", true));
  (void)store_->create_user(make_user("100%real"));

  core::UserQuery query;
  query.search = "JÜRG";
  core::UserPage page = store_->list_users(query);
  EXPECT_EQ(page.total, 2);
  EXPECT_EQ(names(page), (std::vector<std::string>{"Jürgen", "JÜRG_x"}));

  query.include_anonymous = true;
  page = store_->list_users(query);
  EXPECT_EQ(page.total, 3);
  EXPECT_EQ(names(page), (std::vector<std::string>{"Jürgen", "JÜRG_x", "jürg%anon"}));

  query.include_anonymous = false;
  query.search = "g_";  // the underscore is not a wildcard
  EXPECT_EQ(names(store_->list_users(query)), (std::vector<std::string>{"JÜRG_x"}));
  query.search = "%";
  EXPECT_EQ(names(store_->list_users(query)), (std::vector<std::string>{"100%real"}));
  query.search = "nobody";
  page = store_->list_users(query);
  EXPECT_EQ(page.total, 0);
  EXPECT_TRUE(page.items.empty());
}

TEST_F(AccountsTest, list_users_paginates_with_a_full_total) {
  for (int i = 0; i < 7; ++i) {
    (void)store_->create_user(make_user("user" + std::to_string(i)));
  }
  (void)store_->create_user(make_user("anon", true));
  core::UserQuery query;
  query.limit = 3;
  query.offset = 0;
  core::UserPage page = store_->list_users(query);
  EXPECT_EQ(page.total, 7);
  EXPECT_EQ(names(page), (std::vector<std::string>{"user0", "user1", "user2"}));
  query.offset = 6;
  page = store_->list_users(query);
  EXPECT_EQ(page.total, 7);
  EXPECT_EQ(names(page), (std::vector<std::string>{"user6"}));
  query.offset = 10;
  page = store_->list_users(query);
  EXPECT_EQ(page.total, 7);
  EXPECT_TRUE(page.items.empty());
  query.offset = -5;  // treated as 0
  query.limit = 0;
  page = store_->list_users(query);
  EXPECT_EQ(page.total, 7);
  EXPECT_TRUE(page.items.empty());
}

TEST_F(AccountsTest, delete_user_removes_their_data_and_nothing_else) {
  const core::Id alice = store_->create_user(make_user("alice"));
  const core::Id bob = store_->create_user(make_user("bob"));
  core::Paste paste = make_paste("alice's");
  paste.author_id = alice;
  const core::Id alice_paste = store_->insert_paste(paste);
  paste.title = "bob's";
  paste.author_id = bob;
  const core::Id bob_paste = store_->insert_paste(paste);
  const core::Id orphan = store_->insert_paste(make_paste("nobody's"));
  store_->create_session({"alice-session", alice, kNow, kNow + kHour});
  store_->create_session({"bob-session", bob, kNow, kNow + kHour});
  store_->create_session({"visitor", std::nullopt, kNow, kNow + kHour});
  store_->set_token(alice, kKeyA, kNow);
  store_->set_token(bob, kKeyB, kNow);

  EXPECT_TRUE(store_->delete_user(alice));

  EXPECT_FALSE(store_->user_by_id(alice).has_value());
  EXPECT_FALSE(store_->paste_by_id(alice_paste, kNow).has_value());
  EXPECT_FALSE(store_->session("alice-session", kNow).has_value());
  EXPECT_FALSE(token_holder(*store_, kKeyA).has_value());
  EXPECT_FALSE(store_->token_for_user(alice).has_value());

  EXPECT_TRUE(store_->user_by_id(bob).has_value());
  EXPECT_TRUE(store_->paste_by_id(bob_paste, kNow).has_value());
  EXPECT_TRUE(store_->paste_by_id(orphan, kNow).has_value());
  EXPECT_TRUE(store_->session("bob-session", kNow).has_value());
  EXPECT_TRUE(store_->session("visitor", kNow).has_value());
  EXPECT_EQ(token_holder(*store_, kKeyB), bob);
  EXPECT_EQ(store_->stats().paste_count, 2);

  EXPECT_FALSE(store_->delete_user(alice));
  EXPECT_FALSE(store_->delete_user(bob + 100));
  EXPECT_TRUE(store_->user_by_id(bob).has_value());
}

TEST_F(AccountsTest, a_token_finds_its_whole_user_in_one_lookup) {
  core::User staff = make_user("Staffer");
  staff.is_staff = true;
  staff.email = "staff@example.com";
  const core::Id id = store_->create_user(staff);
  store_->set_token(id, kKeyA, kNow);
  for (int i = 0; i < 3; ++i) {  // the prepared statement is reused
    const auto found = store_->user_by_token(kKeyA);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, id);
    EXPECT_EQ(found->username, "Staffer");
    EXPECT_EQ(found->email, "staff@example.com");
    EXPECT_TRUE(found->is_staff);
  }
  EXPECT_FALSE(store_->user_by_token(kKeyB).has_value());
  EXPECT_FALSE(store_->user_by_token("").has_value());
  // Exact match only: another case or a prefix is a different key.
  std::string upper(kKeyA);
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  EXPECT_FALSE(store_->user_by_token(upper).has_value());
  EXPECT_FALSE(store_->user_by_token(kKeyA.substr(0, 39)).has_value());
  EXPECT_TRUE(store_->delete_token(id));
  EXPECT_FALSE(store_->user_by_token(kKeyA).has_value());
}

// The users of tokens are cached (TokenCache): writes of pastes keep them, as a create
// load with one token would otherwise look it up every time; any other write may change a
// user or a token and forgets them all.
TEST_F(AccountsTest, a_token_user_is_kept_through_paste_writes_and_forgotten_by_others) {
  auto* soci_store = dynamic_cast<SociStore*>(store_.get());
  ASSERT_NE(soci_store, nullptr);
  const core::Id alice = store_->create_user(make_user("alice"));
  store_->set_token(alice, kKeyA, kNow);
  EXPECT_EQ(soci_store->cached_tokens(), 0U);
  EXPECT_FALSE(token_holder(*store_, kKeyB).has_value());
  EXPECT_EQ(soci_store->cached_tokens(), 0U);  // unknown tokens are not kept
  ASSERT_EQ(token_holder(*store_, kKeyA), alice);
  EXPECT_EQ(soci_store->cached_tokens(), 1U);

  const core::Id id = store_->insert_paste(make_paste("kept"));
  store_->add_hits({{id, 2}});
  core::Paste changed = make_paste("changed");
  changed.id = id;
  EXPECT_TRUE(store_->update_paste(changed));
  EXPECT_TRUE(store_->delete_paste(id));
  (void)store_->index_search_backlog(100);
  EXPECT_EQ(soci_store->cached_tokens(), 1U);
  EXPECT_EQ(token_holder(*store_, kKeyA), alice);

  core::User deactivated = *store_->user_by_id(alice);
  deactivated.is_active = false;
  store_->update_user(deactivated);
  EXPECT_EQ(soci_store->cached_tokens(), 0U);
  const auto found = store_->user_by_token(kKeyA);
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(found->is_active);  // read again: the change is seen at once

  (void)store_->create_user(make_user("bob"));  // a write that changes no token
  EXPECT_EQ(soci_store->cached_tokens(), 0U);
}

TEST_F(AccountsTest, tokens_are_set_replaced_looked_up_and_deleted) {
  const core::Id alice = store_->create_user(make_user("alice"));
  const core::Id bob = store_->create_user(make_user("bob"));
  EXPECT_FALSE(store_->token_for_user(alice).has_value());
  EXPECT_FALSE(token_holder(*store_, kKeyA).has_value());
  EXPECT_FALSE(store_->delete_token(alice));

  store_->set_token(alice, kKeyA, kNow);
  EXPECT_EQ(store_->token_for_user(alice), std::string(kKeyA));
  EXPECT_EQ(token_holder(*store_, kKeyA), alice);
  EXPECT_FALSE(token_holder(*store_, std::string(kKeyA).substr(1)).has_value());

  store_->set_token(alice, kKeyB, kNow + 1);  // replaces the old one
  EXPECT_EQ(store_->token_for_user(alice), std::string(kKeyB));
  EXPECT_EQ(token_holder(*store_, kKeyB), alice);
  EXPECT_FALSE(token_holder(*store_, kKeyA).has_value());

  store_->set_token(alice, kKeyB, kNow + 2);  // setting the same key again is fine
  EXPECT_EQ(token_holder(*store_, kKeyB), alice);

  // A key another user holds is refused and changes nothing.
  EXPECT_THROW(store_->set_token(bob, kKeyB, kNow), StoreError);
  EXPECT_FALSE(store_->token_for_user(bob).has_value());
  EXPECT_EQ(token_holder(*store_, kKeyB), alice);
  // So is a token for a user that does not exist.
  EXPECT_THROW(store_->set_token(bob + 100, kKeyA, kNow), StoreError);

  store_->set_token(bob, kKeyA, kNow);
  EXPECT_TRUE(store_->delete_token(alice));
  EXPECT_FALSE(store_->token_for_user(alice).has_value());
  EXPECT_FALSE(token_holder(*store_, kKeyB).has_value());
  EXPECT_FALSE(store_->delete_token(alice));
  EXPECT_EQ(token_holder(*store_, kKeyA), bob);
}

TEST_F(AccountsTest, delete_user_sessions_keeps_only_the_kept_one) {
  const core::Id alice = store_->create_user(make_user("alice"));
  const core::Id bob = store_->create_user(make_user("bob"));
  for (const char* id : {"a1", "a2", "a3"}) {
    store_->create_session({id, alice, kNow, kNow + kHour});
  }
  store_->create_session({"b1", bob, kNow, kNow + kHour});
  store_->create_session({"visitor", std::nullopt, kNow, kNow + kHour});

  store_->delete_user_sessions(alice, "a2");
  EXPECT_FALSE(store_->session("a1", kNow).has_value());
  EXPECT_TRUE(store_->session("a2", kNow).has_value());
  EXPECT_FALSE(store_->session("a3", kNow).has_value());
  EXPECT_TRUE(store_->session("b1", kNow).has_value());
  EXPECT_TRUE(store_->session("visitor", kNow).has_value());

  store_->delete_user_sessions(alice, "b1");  // another user's session is no shield
  EXPECT_FALSE(store_->session("a2", kNow).has_value());
  EXPECT_TRUE(store_->session("b1", kNow).has_value());

  store_->create_session({"a4", alice, kNow, kNow + kHour});
  store_->delete_user_sessions(alice, "");
  EXPECT_FALSE(store_->session("a4", kNow).has_value());
  store_->delete_user_sessions(bob, "");
  EXPECT_FALSE(store_->session("b1", kNow).has_value());
  EXPECT_TRUE(store_->session("visitor", kNow).has_value());
}

}  // namespace
}  // namespace sillypaste::store::testing
