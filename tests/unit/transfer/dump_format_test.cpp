#include "transfer/dump_format.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "../store/store_test_support.hpp"

namespace sillypaste::transfer {
namespace {

using store::testing::kNow;

// Collects what a reader returns.
struct Read {
  DumpHeader header;
  std::vector<DumpRow> rows;
};

Read read_all(const std::string& text) {
  std::istringstream in(text);
  DumpReader reader(in);
  Read result{reader.read_header(), {}};
  while (auto row = reader.next()) {
    result.rows.push_back(std::move(*row));
  }
  return result;
}

std::string sample_dump() {
  std::ostringstream out;
  DumpWriter writer(out, kNow);
  writer.begin({1, 1, 1, 1, 1}, {3, 0, 4, 9, 2});
  core::User user;
  user.id = 3;
  user.username = "jürgen";
  user.password_hash = "pbkdf2_sha256$1$salt$hash";
  user.date_joined = kNow + 1;
  user.last_login = kNow + 123456;
  writer.user(user);
  writer.token({"ab12", 3, kNow});
  writer.language({4, "Python"});
  core::Paste paste;
  paste.id = 9;
  paste.title = "t \"quoted\"";
  paste.body = "line\r\n\ttab \xF0\x9F\x98\x80\n";
  paste.timestamp = kNow;
  paste.expiry = kNow + 999999;
  paste.is_private = true;
  paste.secret = "s3cr3t";
  paste.legacy_id_access = true;
  paste.hits = 2147483648LL;
  paste.size = 42;
  paste.author_id = 3;
  paste.language_id = 4;
  writer.paste(paste);
  core::ExpiryLog log;
  log.id = 2;
  log.expired_ids = "[5]";
  log.timestamp = kNow;
  writer.expiry_log(log);
  writer.finish();
  return out.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

std::string join(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) {
    text += line + "\n";
  }
  return text;
}

std::string error_of(const std::string& text) {
  try {
    (void)read_all(text);
  } catch (const DumpError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(DumpFormat, TimesAlwaysHaveMicroseconds) {
  EXPECT_EQ(format_dump_time(kNow), "2024-06-01T00:00:00.000000Z");
  EXPECT_EQ(format_dump_time(kNow + 5), "2024-06-01T00:00:00.000005Z");
}

TEST(DumpFormat, RoundTripKeepsEveryField) {
  const std::string text = sample_dump();
  const Read read = read_all(text);
  EXPECT_EQ(read.header.counts, (store::TableCounts{1, 1, 1, 1, 1}));
  EXPECT_EQ(read.header.sequences, (store::TableCounts{3, 0, 4, 9, 2}));
  ASSERT_EQ(read.rows.size(), 5U);
  const auto& user = std::get<core::User>(read.rows[0]);
  EXPECT_EQ(user.username, "jürgen");
  EXPECT_EQ(user.last_login, kNow + 123456);
  EXPECT_EQ(user.date_joined, kNow + 1);
  const auto& paste = std::get<core::Paste>(read.rows[3]);
  EXPECT_EQ(paste.body, "line\r\n\ttab \xF0\x9F\x98\x80\n");
  EXPECT_EQ(paste.title, "t \"quoted\"");
  EXPECT_EQ(paste.expiry, kNow + 999999);
  EXPECT_EQ(paste.hits, 2147483648LL);
  EXPECT_EQ(paste.secret, "s3cr3t");
  EXPECT_TRUE(paste.legacy_id_access);
  EXPECT_EQ(paste.language_id, 4);
  EXPECT_EQ(std::get<core::ExpiryLog>(read.rows[4]).expired_ids, "[5]");
  EXPECT_FALSE(std::get<core::ExpiryLog>(read.rows[4]).user_cutoff);
}

TEST(DumpFormat, MissingEndLineIsTruncation) {
  auto lines = lines_of(sample_dump());
  lines.pop_back();
  EXPECT_EQ(error_of(join(lines)), "line 7: the file ends without its end line (truncated?)");
}

TEST(DumpFormat, LineCutInTheMiddleIsBadJson) {
  const std::string text = sample_dump();
  const std::string cut = text.substr(0, text.find("\"type\":\"language\"") + 10);
  EXPECT_TRUE(error_of(cut).starts_with("line 4: invalid JSON")) << error_of(cut);
}

TEST(DumpFormat, BadJsonNamesItsLine) {
  auto lines = lines_of(sample_dump());
  lines[2] = "{not json";
  EXPECT_TRUE(error_of(join(lines)).starts_with("line 3: invalid JSON")) << error_of(join(lines));
}

TEST(DumpFormat, WrongVersionOrFormatIsRefused) {
  auto lines = lines_of(sample_dump());
  const auto original = lines[0];
  lines[0].replace(lines[0].find("\"version\":1"), 11, "\"version\":2");
  EXPECT_TRUE(error_of(join(lines)).starts_with("line 1: unsupported dump version 2"));
  lines[0] = R"({"format":"other","version":1})";
  EXPECT_TRUE(error_of(join(lines)).starts_with("line 1: not a sillypaste dump"));
  EXPECT_EQ(error_of(""), "line 1: the file is empty, not a sillypaste dump");
}

TEST(DumpFormat, CountsMustMatchTheEndLine) {
  auto lines = lines_of(sample_dump());
  lines.erase(lines.begin() + 4);  // the paste
  EXPECT_TRUE(error_of(join(lines)).starts_with("line 6: the end line counts"))
      << error_of(join(lines));
}

TEST(DumpFormat, FieldErrorsNameTheFieldAndLine) {
  auto lines = lines_of(sample_dump());
  lines[1].replace(lines[1].find("\"is_staff\":false"), 16, "\"is_staff\":\"no\"");
  EXPECT_EQ(error_of(join(lines)), "line 2: user: field \"is_staff\" must be true or false");
  lines = lines_of(sample_dump());
  lines[3] = R"({"type":"language","id":4})";
  EXPECT_EQ(error_of(join(lines)), "line 4: language: field \"name\" is missing");
  lines[3] = R"({"type":"mystery"})";
  EXPECT_EQ(error_of(join(lines)), "line 4: unknown row type \"mystery\"");
}

TEST(DumpFormat, NothingMayFollowTheEndLine) {
  EXPECT_EQ(error_of(sample_dump() + "{}\n"), "line 8: data after the end line");
}

// A store's rows written and loaded again come back identical.
class DumpStoreTest : public store::testing::StoreTest {};

TEST_F(DumpStoreTest, StoreRoundTrip) {
  const auto author = store_->create_user(make_user("alice"));
  store_->set_token(author, std::string(40, 'a'), kNow);
  store_->sync_languages({"Python"});
  auto paste = make_paste("hello", "print(1)\n");
  paste.author_id = author;
  paste.language_id = store_->language_by_name("Python")->id;
  store_->insert_paste(paste);
  std::ostringstream first;
  {
    DumpWriter writer(first, kNow);
    store_->export_rows(writer);
    writer.finish();
  }
  auto other = store::open_store("sqlite:///" + (dir_ / "other.db").string());
  other->migrate();
  {
    std::istringstream in(first.str());
    DumpReader reader(in);
    const auto header = reader.read_header();
    auto bulk = other->begin_import();
    while (auto row = reader.next()) {
      std::visit(
          [&](auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, core::User>) bulk->insert_user(value);
            if constexpr (std::is_same_v<T, store::TokenRow>) bulk->insert_token(value);
            if constexpr (std::is_same_v<T, core::Language>) bulk->insert_language(value);
            if constexpr (std::is_same_v<T, core::Paste>) bulk->insert_paste(value);
            if constexpr (std::is_same_v<T, core::ExpiryLog>) bulk->insert_expiry_log(value);
          },
          *row);
    }
    bulk->set_sequences(header.sequences);
    bulk->commit();
  }
  std::ostringstream second;
  DumpWriter writer(second, kNow);
  other->export_rows(writer);
  writer.finish();
  EXPECT_EQ(first.str(), second.str());
  const auto holder = other->user_by_token(std::string(40, 'a'));
  ASSERT_TRUE(holder.has_value());
  EXPECT_EQ(holder->id, author);
}

}  // namespace
}  // namespace sillypaste::transfer
