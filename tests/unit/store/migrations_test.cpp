#include <gtest/gtest.h>

#include "store/casefold.hpp"
#include "store/migration_files.hpp"
#include "store/sql_dialect.hpp"
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
  store_ = open_store(fresh_url("fresh"));
  EXPECT_EQ(store_->schema_version(), 0);
  const int ran = store_->migrate();
  EXPECT_EQ(ran, static_cast<int>(migrations_for(backend()).size()));
  EXPECT_EQ(store_->schema_version(), migrations_for(backend()).back().version);
}

TEST_F(MigrationsTest, database_runs_in_wal_mode) {
  if (on_postgres()) {
    GTEST_SKIP() << "SQLite only";
  }
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

TEST(MigrationFiles, split_keeps_trigger_bodies_whole) {
  const auto statements = split_sql_statements(
      "CREATE TABLE t (x TEXT);\n"
      "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN\n"
      "  INSERT INTO log VALUES (CASE WHEN new.x = 'end;' THEN 1 ELSE 2 END);\n"
      "  DELETE FROM log WHERE x = 'begin'; -- end;\n"
      "END;\n"
      "create temp trigger t_del after delete on t begin delete from log; end;\n"
      "BEGIN; INSERT INTO t VALUES ('backend'); END;");
  ASSERT_EQ(statements.size(), 6U);
  EXPECT_NE(statements[1].find("DELETE FROM log WHERE x = 'begin';"), std::string::npos);
  EXPECT_TRUE(statements[1].ends_with("END")) << statements[1];
  EXPECT_NE(statements[2].find("delete from log; end"), std::string::npos);
  EXPECT_EQ(statements[3], "\nBEGIN");
  EXPECT_EQ(statements[4], " INSERT INTO t VALUES ('backend')");
  EXPECT_EQ(statements[5], " END");
}

TEST(MigrationFiles, postgresql_has_the_same_versions_as_sqlite) {
  const auto sqlite = migrations_for("sqlite");
  const auto postgresql = migrations_for("postgresql");
  ASSERT_EQ(postgresql.size(), sqlite.size());
  for (std::size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(postgresql[i].version, sqlite[i].version);
  }
}

TEST(OpenStore, unreachable_postgres_server_is_a_store_error) {
  EXPECT_THROW((void)open_store("postgres://u:p@127.0.0.1:1/db?connect_timeout=2"), StoreError);
  EXPECT_THROW((void)open_store("postgresql://127.0.0.1:1/db"), StoreError);
  EXPECT_THROW((void)open_store("postgres://h/db?sslmode"), StoreError);
  EXPECT_THROW((void)open_store("postgres://h:port/db"), StoreError);
}

TEST(PostgresUrl, becomes_a_libpq_connection_string) {
  EXPECT_EQ(postgresql_connect_string("postgres://user:p%40ss'w@db.example:5433/paste"
                                      "?sslmode=require"),
            "user='user' password='p@ss\\'w' host='db.example' port='5433' dbname='paste' "
            "sslmode='require' connect_timeout='10'");
  EXPECT_EQ(postgresql_connect_string("postgresql://[::1]:6000/db?connect_timeout=3"),
            "host='::1' port='6000' dbname='db' connect_timeout='3'");
  EXPECT_EQ(postgresql_connect_string("postgresql:///db?host=%2Ftmp%2Fpg"),
            "dbname='db' host='/tmp/pg' connect_timeout='10'");
  EXPECT_EQ(postgresql_connect_string("postgres://alice@localhost"),
            "user='alice' host='localhost' connect_timeout='10'");
}

TEST(PostgresUrl, errors_do_not_show_the_password) {
  try {
    (void)postgresql_connect_string("postgres://u:secret@host/db?bad");
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
  }
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
  const std::filesystem::path dir = make_temp_dir("store test ");
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
