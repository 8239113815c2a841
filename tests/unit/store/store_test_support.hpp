#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "store/store.hpp"
#include "store_test_postgres.hpp"
#include "temp_dir.hpp"

namespace sillypaste::store::testing {

// A fixed "now" so tests do not depend on the clock (2024-06-01T00:00:00Z).
inline constexpr core::Micros kNow = 1'717'200'000'000'000;
inline constexpr core::Micros kHour = 3'600'000'000;

// A migrated SQLite database in a fresh temporary directory, removed afterwards; with
// SILLYPASTE_TEST_POSTGRES set, a fresh PostgreSQL database on that server instead.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir("store-test-");
    url_ = fresh_url("test");
    store_ = open_store(url());
    store_->migrate();
  }
  void TearDown() override {
    store_.reset();
    databases_.clear();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  [[nodiscard]] std::string url() const { return url_; }
  [[nodiscard]] static bool on_postgres() { return postgres_server().has_value(); }
  // "sqlite" or "postgresql": the migrations directory of the backend under test.
  [[nodiscard]] static std::string backend() { return on_postgres() ? "postgresql" : "sqlite"; }

  // The URL of another empty database (a file in dir_, or a new PostgreSQL database).
  [[nodiscard]] std::string fresh_url(const std::string& name) {
    if (on_postgres()) {
      databases_.push_back(std::make_unique<TestDatabase>());
      return databases_.back()->url();
    }
    return "sqlite:///" + (dir_ / (name + ".db")).string();
  }

  [[nodiscard]] static core::Paste make_paste(std::string title, std::string body = "body") {
    core::Paste paste;
    paste.title = std::move(title);
    paste.body = std::move(body);
    paste.timestamp = kNow - kHour;
    paste.size = static_cast<std::int64_t>(paste.title.size() + paste.body.size());
    paste.body_html = "<span class=\"line\">" + paste.body + "</span>";
    return paste;
  }

  [[nodiscard]] static core::User make_user(std::string username, bool anonymous = false) {
    core::User user;
    user.username = std::move(username);
    user.password_hash = "argon2id$hash";
    user.is_anonymous = anonymous;
    user.date_joined = kNow - 24 * kHour;
    return user;
  }

  std::filesystem::path dir_;
  std::string url_;
  std::vector<std::unique_ptr<TestDatabase>> databases_;
  std::unique_ptr<Store> store_;
};

}  // namespace sillypaste::store::testing
