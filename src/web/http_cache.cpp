#include "web/http_cache.hpp"

#include <zlib.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <stdexcept>

#include "core/text.hpp"

namespace sillypaste::web {
namespace {

// Below this a compressed body saves less than the time it costs to make.
constexpr std::size_t kMinCompressBytes = 1024;
// Level 4: within a few per cent of level 6's size on paste pages, about twice as fast.
constexpr int kResponseLevel = 4;
constexpr std::string_view kGzipSuffix = "-gzip";

std::string_view trim(std::string_view text) { return core::trim(text); }

bool compressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
         content_type.starts_with("application/vnd.oai.openapi") ||
         content_type.starts_with("image/svg+xml") ||
         content_type.starts_with("application/javascript");
}

bool equals_ignoring_case(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char c = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (c != lower_b[i]) {
      return false;
    }
  }
  return true;
}

bool has_header(const http::Response& response, std::string_view lower_name) {
  for (const auto& [key, value] : response.headers) {
    if (equals_ignoring_case(key, lower_name)) {
      return true;
    }
  }
  return false;
}

// The ETag of a gzipped body: the plain body's with kGzipSuffix.
void add_gzip_suffix(http::Response& response) {
  for (auto& [name, value] : response.headers) {
    if (equals_ignoring_case(name, "etag") && value.size() >= 2 && value.back() == '"') {
      value.insert(value.size() - 1, kGzipSuffix);
    }
  }
}

// The q value of one Accept-Encoding item ("gzip;q=0.5" -> 0.5); 1 when absent.
double quality(std::string_view parameters) {
  std::size_t start = 0;
  while (start < parameters.size()) {
    const auto semicolon = parameters.find(';', start);
    const auto parameter = trim(parameters.substr(
        start, semicolon == std::string_view::npos ? std::string_view::npos : semicolon - start));
    if (parameter.size() >= 2 && (parameter[0] == 'q' || parameter[0] == 'Q') &&
        parameter[1] == '=') {
      const std::string value{trim(parameter.substr(2))};
      char* end = nullptr;
      const double q = std::strtod(value.c_str(), &end);
      return (end == value.c_str() || *end != '\0') ? 0.0 : q;
    }
    if (semicolon == std::string_view::npos) {
      break;
    }
    start = semicolon + 1;
  }
  return 1.0;
}

template <typename Visit>
void for_each_list_item(std::string_view list, Visit visit) {
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = list.find(',', start);
    const auto item = trim(list.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (!item.empty()) {
      visit(item);
    }
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
}

}  // namespace

std::string etag_of(std::string_view content) {
  // libstdc++'s hash of bytes (MurmurHash2, fixed seed) works a word at a time: several
  // times faster than FNV-1a, which was 4% of a raw/ answer.
  const std::uint64_t hash = std::hash<std::string_view>{}(content);
  std::array<char, 20> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "\"%016llx\"", static_cast<unsigned long long>(hash));
  return std::string(buffer.data(), 18);
}

bool etag_matches(std::optional<std::string_view> if_none_match, std::string_view etag) {
  if (!if_none_match || etag.size() < 2) {
    return false;
  }
  const std::string_view opaque = etag.substr(1, etag.size() - 2);  // without the quotes
  bool matched = false;
  for_each_list_item(*if_none_match, [&](std::string_view tag) {
    if (tag == "*") {
      matched = true;
      return;
    }
    if (tag.starts_with("W/")) {
      tag.remove_prefix(2);
    }
    if (tag.size() < 2 || tag.front() != '"' || tag.back() != '"') {
      return;
    }
    tag = tag.substr(1, tag.size() - 2);
    if (tag.ends_with(kGzipSuffix)) {
      tag.remove_suffix(kGzipSuffix.size());
    }
    matched = matched || tag == opaque;
  });
  return matched;
}

bool accepts_gzip(std::optional<std::string_view> accept_encoding) {
  if (!accept_encoding) {
    return false;
  }
  std::optional<double> gzip_q;
  std::optional<double> any_q;
  for_each_list_item(*accept_encoding, [&](std::string_view item) {
    const auto semicolon = item.find(';');
    const std::string coding = core::ascii_lower(trim(item.substr(0, semicolon)));
    const double q =
        semicolon == std::string_view::npos ? 1.0 : quality(item.substr(semicolon + 1));
    if (coding == "gzip" || coding == "x-gzip") {
      gzip_q = q;
    } else if (coding == "*") {
      any_q = q;
    }
  });
  if (gzip_q) {
    return *gzip_q > 0;
  }
  return any_q.value_or(0) > 0;
}

std::string gzip(std::string_view data, int level) {
  z_stream stream{};
  // 15 window bits + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("gzip: deflateInit2 failed");
  }
  std::string out;
  out.resize(deflateBound(&stream, static_cast<uLong>(data.size())));
  // zlib's API is not const-correct; it only reads next_in.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));  // NOLINT
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());  // NOLINT
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) {
    throw std::runtime_error("gzip: deflate did not finish");
  }
  return out;
}

bool worth_compressing(const http::Request& request, const http::Response& response) {
  return compressible(response.content_type) && !has_header(response, "content-encoding") &&
         response.status == 200 && response.body_bytes().size() >= kMinCompressBytes &&
         response.body_bytes().size() <= std::numeric_limits<uInt>::max() &&
         accepts_gzip(request.header("accept-encoding"));
}

void compress_if_worthwhile(const http::Request& request, http::Response& response) {
  if (!compressible(response.content_type) || has_header(response, "content-encoding")) {
    return;
  }
  response.add_header("Vary", "Accept-Encoding");
  if (!worth_compressing(request, response)) {
    return;
  }
  std::string compressed = gzip(response.body_bytes(), kResponseLevel);
  if (compressed.size() >= response.body_bytes().size()) {
    return;
  }
  response.set_body(std::move(compressed));
  response.add_header("Content-Encoding", "gzip");
  add_gzip_suffix(response);
}

void mark_gzipped(http::Response& response) {
  response.add_header("Content-Encoding", "gzip");
  if (!has_header(response, "vary")) {
    response.add_header("Vary", "Accept-Encoding");
  }
  add_gzip_suffix(response);
}

void not_modified_if_current(const http::Request& request, http::Response& response) {
  if (response.status != 200) {
    return;
  }
  for (const auto& [name, value] : response.headers) {
    if (!equals_ignoring_case(name, "etag")) {
      continue;
    }
    // etag_matches takes the suffix off the request's tags only: off ours here.
    std::string tag = value;
    const std::string gzipped_end = std::string(kGzipSuffix) + '"';
    if (tag.ends_with(gzipped_end)) {
      tag.replace(tag.size() - gzipped_end.size(), gzipped_end.size(), "\"");
    }
    if (etag_matches(request.header("if-none-match"), tag)) {
      response.status = 304;
      response.set_body({});
    }
    return;
  }
}

}  // namespace sillypaste::web
