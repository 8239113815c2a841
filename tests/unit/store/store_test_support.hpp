#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "core/model.hpp"
#include "store/store.hpp"

namespace sillypaste::store::testing {

// A fixed "now" so tests do not depend on the clock (2024-06-01T00:00:00Z).
inline constexpr core::Micros kNow = 1'717'200'000'000'000;
inline constexpr core::Micros kHour = 3'600'000'000;

// A migrated SQLite database in a fresh temporary directory, removed afterwards.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "store-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    store_ = open_store(url());
    store_->migrate();
  }
  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  [[nodiscard]] std::string url() const { return "sqlite:///" + (dir_ / "test.db").string(); }

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
  std::unique_ptr<Store> store_;
};

}  // namespace sillypaste::store::testing
