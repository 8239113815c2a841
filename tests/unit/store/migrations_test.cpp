#include <gtest/gtest.h>

#include "store/casefold.hpp"
#include "store/migration_files.hpp"
#include "store_test_support.hpp"

namespace sillypaste::store::testing {
namespace {

using MigrationsTest = StoreTest;

TEST_F(MigrationsTest, second_migrate_runs_nothing_and_keeps_version) {
  const int version = store_->schema_version();
  EXPECT_GE(version, 1);
  EXPECT_EQ(store_->migrate(), 0);
  EXPECT_EQ(store_->schema_version(), version);
}

TEST_F(MigrationsTest, reopening_the_file_keeps_the_data) {
  const core::Id id = store_->insert_paste(make_paste("kept"));
  store_.reset();
  store_ = open_store(url());
  EXPECT_EQ(store_->migrate(), 0);
  ASSERT_TRUE(store_->paste_by_id(id, kNow).has_value());
}

TEST_F(MigrationsTest, fresh_database_reports_version_zero_then_all_files) {
  store_.reset();
  store_ = open_store("sqlite:///" + (dir_ / "fresh.db").string());
  EXPECT_EQ(store_->schema_version(), 0);
  const int ran = store_->migrate();
  EXPECT_EQ(ran, static_cast<int>(migrations_for("sqlite").size()));
  EXPECT_EQ(store_->schema_version(), migrations_for("sqlite").back().version);
}

TEST_F(MigrationsTest, database_runs_in_wal_mode) {
  (void)store_->insert_paste(make_paste("write something"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "test.db-wal"));
}

TEST(MigrationFiles, sqlite_files_are_numbered_from_one) {
  const auto files = migrations_for("sqlite");
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files.front().version, 1);
  EXPECT_EQ(files.front().name, "sqlite/0001_initial.sql");
}

TEST(MigrationFiles, split_ignores_semicolons_in_quotes_and_comments) {
  const auto statements = split_sql_statements(
      "-- a comment; still comment\nCREATE TABLE a (x TEXT DEFAULT ';');\n"
      "/* block; comment */ INSERT INTO a VALUES ('it''s; here');\n\n  ");
  ASSERT_EQ(statements.size(), 2U);
  EXPECT_NE(statements[0].find("DEFAULT ';'"), std::string::npos);
  EXPECT_NE(statements[1].find("'it''s; here'"), std::string::npos);
}

TEST(OpenStore, postgres_is_not_built_yet) {
  EXPECT_THROW((void)open_store("postgres://u:p@localhost/db"), StoreError);
  EXPECT_THROW((void)open_store("postgresql://localhost/db"), StoreError);
}

TEST(OpenStore, unknown_scheme_names_the_url_without_password) {
  try {
    (void)open_store("mysql://user:secret@host/db");
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("mysql://"), std::string::npos);
    EXPECT_EQ(message.find("secret"), std::string::npos);
  }
  EXPECT_THROW((void)open_store("sqlite://relative.db"), StoreError);
  EXPECT_THROW((void)open_store("sqlite:///"), StoreError);
}

TEST(OpenStore, absolute_path_with_four_slashes_and_spaces) {
  std::string pattern = (std::filesystem::temp_directory_path() / "store test XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const std::filesystem::path dir = pattern;
  {
    auto store = open_store("sqlite:///" + (dir / "with space.db").string());
    EXPECT_GE(store->migrate(), 1);
  }
  EXPECT_TRUE(std::filesystem::exists(dir / "with space.db"));
  std::filesystem::remove_all(dir);
}

TEST(CaseFold, folds_ascii_latin_greek_cyrillic) {
  EXPECT_EQ(fold_case("Hello WORLD"), "hello world");
  EXPECT_EQ(fold_case("JÜRGEN"), "jürgen");
  EXPECT_EQ(fold_case("Jürgen"), "jürgen");
  EXPECT_EQ(fold_case("ŁÓDŹ"), "łódź");
  EXPECT_EQ(fold_case("ΑΘΗΝΑ"), "αθηνα");
  EXPECT_EQ(fold_case("МОСКВА"), "москва");
  EXPECT_EQ(fold_case("straße ×"), "straße ×");
  EXPECT_EQ(fold_case("日本 \xff\xc3"), "日本 \xff\xc3");  // other and malformed bytes pass
}

}  // namespace
}  // namespace sillypaste::store::testing
