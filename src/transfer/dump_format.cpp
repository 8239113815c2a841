#include "transfer/dump_format.hpp"

#include <boost/json.hpp>

#include "core/time.hpp"

namespace sillypaste::transfer {
namespace json = boost::json;

std::string format_dump_time(core::Micros t) {
  std::string text = core::format_iso8601(t);
  if (text.find('.') == std::string::npos && !text.empty() && text.back() == 'Z') {
    text.insert(text.size() - 1, ".000000");
  }
  return text;
}

namespace {

[[nodiscard]] json::value time_value(std::optional<core::Micros> t) {
  return t ? json::value(format_dump_time(*t)) : json::value(nullptr);
}

template <typename T>
[[nodiscard]] json::value optional_value(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

[[nodiscard]] json::object counts_object(const store::TableCounts& c) {
  return {{"user", c.users},
          {"token", c.tokens},
          {"language", c.languages},
          {"paste", c.pastes},
          {"expirylog", c.expiry_logs}};
}

// Field access with "line N: <type>: field ..." errors.
class Fields {
 public:
  Fields(const json::object& object, std::string_view type, std::int64_t line)
      : object_(object), type_(type), line_(line) {}

  [[nodiscard]] const json::value* find(std::string_view name, bool nullable) const {
    const json::value* v = object_.if_contains(name);
    if (v == nullptr) {
      fail(name, "is missing");
    }
    if (v->is_null()) {
      if (!nullable) {
        fail(name, "must not be null");
      }
      return nullptr;
    }
    return v;
  }
  [[nodiscard]] std::string text(std::string_view name) const {
    const json::value* v = find(name, false);
    if (!v->is_string()) {
      fail(name, "must be a string");
    }
    return std::string(v->get_string());
  }
  [[nodiscard]] std::optional<std::int64_t> optional_integer(std::string_view name) const {
    const json::value* v = find(name, true);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (v->is_int64()) {
      return v->get_int64();
    }
    if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
      return static_cast<std::int64_t>(v->get_uint64());
    }
    fail(name, "must be an integer");
  }
  [[nodiscard]] std::int64_t integer(std::string_view name) const {
    const json::value* v = find(name, false);
    (void)v;
    return *optional_integer(name);
  }
  [[nodiscard]] bool boolean(std::string_view name) const {
    const json::value* v = find(name, false);
    if (!v->is_bool()) {
      fail(name, "must be true or false");
    }
    return v->get_bool();
  }
  [[nodiscard]] std::optional<core::Micros> optional_time(std::string_view name) const {
    const json::value* v = find(name, true);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (!v->is_string()) {
      fail(name, "must be an ISO 8601 time string");
    }
    const auto t = core::parse_iso8601(std::string_view(v->get_string()));
    if (!t) {
      fail(name, "is not a valid ISO 8601 time: " + std::string(v->get_string()));
    }
    return t;
  }
  [[nodiscard]] core::Micros time(std::string_view name) const {
    (void)find(name, false);
    return *optional_time(name);
  }
  [[nodiscard]] store::TableCounts counts(std::string_view name) const {
    const json::value* v = find(name, false);
    if (!v->is_object()) {
      fail(name, "must be an object");
    }
    const Fields c(v->get_object(), type_ + "." + std::string(name), line_);
    return {c.integer("user"), c.integer("token"), c.integer("language"), c.integer("paste"),
            c.integer("expirylog")};
  }

 private:
  [[noreturn]] void fail(std::string_view name, const std::string& what) const {
    throw DumpError(line_, type_ + ": field \"" + std::string(name) + "\" " + what);
  }

  const json::object& object_;
  std::string type_;
  std::int64_t line_;
};

[[nodiscard]] json::object parse_object(const std::string& line, std::int64_t number) {
  json::parse_options options;
  options.allow_invalid_utf8 = true;
  std::error_code ec;
  json::value value = json::parse(line, ec, {}, options);
  if (ec) {
    throw DumpError(number, "invalid JSON: " + ec.message());
  }
  if (!value.is_object()) {
    throw DumpError(number, "expected a JSON object");
  }
  return std::move(value.get_object());
}

[[nodiscard]] std::string describe(const store::TableCounts& c) {
  return json::serialize(counts_object(c));
}

}  // namespace

DumpWriter::DumpWriter(std::ostream& out, core::Micros created, std::function<void()> on_row)
    : out_(out), created_(created), on_row_(std::move(on_row)) {}

void DumpWriter::write_line(const std::string& line) {
  out_ << line << '\n';
  if (!out_) {
    throw std::runtime_error("cannot write the dump");
  }
  if (on_row_) {
    on_row_();
  }
}

void DumpWriter::begin(const store::TableCounts& counts, const store::TableCounts& sequences) {
  json::object header{{"format", kDumpFormat},
                      {"version", kDumpVersion},
                      {"created", format_dump_time(created_)},
                      {"generator", "sillypaste " SILLYPASTE_VERSION},
                      {"counts", counts_object(counts)},
                      {"sequences", counts_object(sequences)}};
  out_ << json::serialize(header) << '\n';
}

void DumpWriter::user(const core::User& u) {
  ++written_.users;
  write_line(json::serialize(json::object{{"type", "user"},
                                          {"id", u.id},
                                          {"username", u.username},
                                          {"password_hash", u.password_hash},
                                          {"email", u.email},
                                          {"first_name", u.first_name},
                                          {"last_name", u.last_name},
                                          {"is_staff", u.is_staff},
                                          {"is_superuser", u.is_superuser},
                                          {"is_active", u.is_active},
                                          {"is_anonymous", u.is_anonymous},
                                          {"date_joined", time_value(u.date_joined)},
                                          {"last_login", time_value(u.last_login)}}));
}

void DumpWriter::token(const store::TokenRow& t) {
  ++written_.tokens;
  write_line(json::serialize(json::object{{"type", "token"},
                                          {"key", t.key},
                                          {"user_id", t.user_id},
                                          {"created", time_value(t.created)}}));
}

void DumpWriter::language(const core::Language& l) {
  ++written_.languages;
  write_line(json::serialize(json::object{{"type", "language"}, {"id", l.id}, {"name", l.name}}));
}

void DumpWriter::paste(const core::Paste& p) {
  ++written_.pastes;
  write_line(json::serialize(json::object{{"type", "paste"},
                                          {"id", p.id},
                                          {"title", p.title},
                                          {"timestamp", time_value(p.timestamp)},
                                          {"expiry", time_value(p.expiry)},
                                          {"private", p.is_private},
                                          {"secret", p.secret.empty() ? json::value(nullptr)
                                                                      : json::value(p.secret)},
                                          {"legacy_id_access", p.legacy_id_access},
                                          {"burn", p.burn},
                                          {"hits", p.hits},
                                          {"freeze_hits", p.freeze_hits},
                                          {"size", p.size},
                                          {"author_id", optional_value(p.author_id)},
                                          {"language_id", optional_value(p.language_id)},
                                          {"body", p.body}}));
}

void DumpWriter::expiry_log(const core::ExpiryLog& l) {
  ++written_.expiry_logs;
  write_line(json::serialize(json::object{{"type", "expirylog"},
                                          {"id", l.id},
                                          {"expired_ids", l.expired_ids},
                                          {"timestamp", time_value(l.timestamp)},
                                          {"user_cutoff", time_value(l.user_cutoff)},
                                          {"paste_count", l.paste_count},
                                          {"reclaimed_space", l.reclaimed_space},
                                          {"user_count", l.user_count},
                                          {"completed", l.completed}}));
}

void DumpWriter::finish() {
  out_ << json::serialize(json::object{{"type", "end"}, {"counts", counts_object(written_)}})
       << '\n';
  out_.flush();
  if (!out_) {
    throw std::runtime_error("cannot write the dump");
  }
}

bool DumpReader::read_line(std::string& line) {
  if (!std::getline(in_, line)) {
    return false;
  }
  ++line_;
  return true;
}

DumpHeader DumpReader::read_header() {
  std::string line;
  if (!read_line(line)) {
    throw DumpError(1, "the file is empty, not a sillypaste dump");
  }
  const json::object object = parse_object(line, line_);
  const json::value* format = object.if_contains("format");
  if (format == nullptr || !format->is_string() || format->get_string() != kDumpFormat) {
    throw DumpError(line_, "not a sillypaste dump (expected \"format\": \"sillypaste-dump\")");
  }
  const json::value* version = object.if_contains("version");
  if (version == nullptr || !version->is_int64() || version->get_int64() != kDumpVersion) {
    throw DumpError(line_, "unsupported dump version " +
                               (version ? json::serialize(*version) : std::string("(none)")) +
                               " (this program reads version " + std::to_string(kDumpVersion) +
                               ")");
  }
  const Fields fields(object, "header", line_);
  DumpHeader header;
  header.created = fields.text("created");
  header.counts = fields.counts("counts");
  header.sequences = fields.counts("sequences");
  header_read_ = true;
  return header;
}

std::optional<DumpRow> DumpReader::next() {
  if (!header_read_) {
    (void)read_header();
  }
  if (ended_) {
    return std::nullopt;
  }
  std::string line;
  if (!read_line(line)) {
    throw DumpError(line_ + 1, "the file ends without its end line (truncated?)");
  }
  const json::object object = parse_object(line, line_);
  const json::value* type_value = object.if_contains("type");
  if (type_value == nullptr || !type_value->is_string()) {
    throw DumpError(line_, "the object has no \"type\"");
  }
  const std::string type(type_value->get_string());
  const Fields f(object, type, line_);
  if (type == "user") {
    core::User u;
    u.id = f.integer("id");
    u.username = f.text("username");
    u.password_hash = f.text("password_hash");
    u.email = f.text("email");
    u.first_name = f.text("first_name");
    u.last_name = f.text("last_name");
    u.is_staff = f.boolean("is_staff");
    u.is_superuser = f.boolean("is_superuser");
    u.is_active = f.boolean("is_active");
    u.is_anonymous = f.boolean("is_anonymous");
    u.date_joined = f.time("date_joined");
    u.last_login = f.optional_time("last_login");
    ++read_.users;
    return u;
  }
  if (type == "token") {
    store::TokenRow t{f.text("key"), f.integer("user_id"), f.time("created")};
    ++read_.tokens;
    return t;
  }
  if (type == "language") {
    core::Language l{f.integer("id"), f.text("name")};
    ++read_.languages;
    return l;
  }
  if (type == "paste") {
    core::Paste p;
    p.id = f.integer("id");
    p.title = f.text("title");
    p.timestamp = f.time("timestamp");
    p.expiry = f.optional_time("expiry");
    p.is_private = f.boolean("private");
    if (f.find("secret", true) != nullptr) {
      p.secret = f.text("secret");
    }
    p.legacy_id_access = f.boolean("legacy_id_access");
    p.burn = f.boolean("burn");
    p.hits = f.integer("hits");
    p.freeze_hits = f.boolean("freeze_hits");
    p.size = f.integer("size");
    p.author_id = f.optional_integer("author_id");
    p.language_id = f.optional_integer("language_id");
    p.body = f.text("body");
    ++read_.pastes;
    return p;
  }
  if (type == "expirylog") {
    core::ExpiryLog l;
    l.id = f.integer("id");
    l.expired_ids = f.text("expired_ids");
    l.timestamp = f.time("timestamp");
    l.user_cutoff = f.optional_time("user_cutoff");
    l.paste_count = f.integer("paste_count");
    l.reclaimed_space = f.integer("reclaimed_space");
    l.user_count = f.integer("user_count");
    l.completed = f.boolean("completed");
    ++read_.expiry_logs;
    return l;
  }
  if (type == "end") {
    const store::TableCounts expected = f.counts("counts");
    if (!(expected == read_)) {
      throw DumpError(line_, "the end line counts " + describe(expected) + " but the file has " +
                                 describe(read_));
    }
    ended_ = true;
    while (read_line(line)) {
      if (line.find_first_not_of(" \t\r") != std::string::npos) {
        throw DumpError(line_, "data after the end line");
      }
    }
    return std::nullopt;
  }
  throw DumpError(line_, "unknown row type \"" + type + "\"");
}

}  // namespace sillypaste::transfer
