#include "web/http_cache.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

namespace sillypaste::web {
namespace {

std::string gunzip(const std::string& data) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));  // NOLINT
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());  // NOLINT
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return out;
}

std::string header_of(const http::Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "(none)";
}

TEST(HttpCache, EtagIsStableQuotedAndDependsOnContent) {
  EXPECT_EQ(etag_of("hello"), etag_of("hello"));
  EXPECT_NE(etag_of("hello"), etag_of("hellp"));
  EXPECT_EQ(etag_of("hello").size(), 18U);
  EXPECT_EQ(etag_of("hello").front(), '"');
  EXPECT_EQ(etag_of("hello").back(), '"');
}

TEST(HttpCache, IfNoneMatchAcceptsListsWeakTagsStarAndTheGzipForm) {
  const std::string tag = "\"0123456789abcdef\"";
  EXPECT_TRUE(etag_matches(tag, tag));
  EXPECT_TRUE(etag_matches("\"x\", " + tag, tag));
  EXPECT_TRUE(etag_matches("W/" + tag, tag));
  EXPECT_TRUE(etag_matches("*", tag));
  EXPECT_TRUE(etag_matches("\"0123456789abcdef-gzip\"", tag));
  EXPECT_FALSE(etag_matches(std::nullopt, tag));
  EXPECT_FALSE(etag_matches("", tag));
  EXPECT_FALSE(etag_matches("0123456789abcdef", tag));  // unquoted
  EXPECT_FALSE(etag_matches("\"0123456789abcde\"", tag));
  EXPECT_FALSE(etag_matches("\"", tag));
  EXPECT_FALSE(etag_matches(",,,", tag));
}

TEST(HttpCache, AcceptEncodingHonoursQualityZeroAndStar) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("deflate, GZIP;q=0.5, br"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_FALSE(accepts_gzip(std::nullopt));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0.0, *"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip;q=nonsense"));
  EXPECT_FALSE(accepts_gzip("gzipper"));
}

TEST(HttpCache, GzipRoundTrips) {
  const std::string text(100000, 'a');
  const auto compressed = gzip(text);
  EXPECT_LT(compressed.size(), 1000U);
  EXPECT_EQ(gunzip(compressed), text);
  EXPECT_EQ(gunzip(gzip("")), "");
}

http::Request request_accepting(std::string encoding) {
  http::Request request;
  request.headers.emplace_back("accept-encoding", std::move(encoding));
  return request;
}

TEST(HttpCache, CompressesLargeTextAnswersOnlyForClientsThatAskAndMarksVary) {
  std::string body;
  for (int i = 0; i < 200; ++i) body += "line " + std::to_string(i) + " of a paste\n";

  http::Response response{200, "text/html; charset=utf-8", body, {{"ETag", "\"abc\""}}, {}, {}};
  compress_if_worthwhile(request_accepting("gzip, br"), response);
  EXPECT_EQ(header_of(response, "Content-Encoding"), "gzip");
  EXPECT_EQ(header_of(response, "Vary"), "Accept-Encoding");
  EXPECT_EQ(header_of(response, "ETag"), "\"abc-gzip\"");
  EXPECT_EQ(gunzip(response.body), body);

  http::Response plain_client{200, "text/html; charset=utf-8", body, {}, {}, {}};
  compress_if_worthwhile(http::Request{}, plain_client);
  EXPECT_EQ(plain_client.body, body);
  EXPECT_EQ(header_of(plain_client, "Content-Encoding"), "(none)");
  EXPECT_EQ(header_of(plain_client, "Vary"), "Accept-Encoding");

  http::Response small{200, "text/html; charset=utf-8", "tiny", {}, {}, {}};
  compress_if_worthwhile(request_accepting("gzip"), small);
  EXPECT_EQ(small.body, "tiny");

  http::Response image{200, "image/png", body, {}, {}, {}};
  compress_if_worthwhile(request_accepting("gzip"), image);
  EXPECT_EQ(image.body, body);
  EXPECT_EQ(header_of(image, "Vary"), "(none)");

  http::Response not_found{404, "text/html; charset=utf-8", body, {}, {}, {}};
  compress_if_worthwhile(request_accepting("gzip"), not_found);
  EXPECT_EQ(not_found.body, body);
}

}  // namespace
}  // namespace sillypaste::web
