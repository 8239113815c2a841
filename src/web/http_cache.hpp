#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace sillypaste::web {

// A strong ETag ("\"5f1c9a0b2e7d4c13\"") of some bytes: a 64-bit hash, stable across
// restarts, for validating caches (not a security measure).
[[nodiscard]] std::string etag_of(std::string_view content);

// True when If-None-Match names `etag`: "*", a comma list, W/ tags, and the "-gzip" form
// of the tag that compressed answers carry all match.
[[nodiscard]] bool etag_matches(std::optional<std::string_view> if_none_match,
                                std::string_view etag);

// True when Accept-Encoding lets us send gzip (listed, or "*", and not with q=0).
[[nodiscard]] bool accepts_gzip(std::optional<std::string_view> accept_encoding);

// gzip (RFC 1952) of `data` at zlib level `level` (1 fastest .. 9 smallest).
[[nodiscard]] std::string gzip(std::string_view data, int level = 6);

// True when compress_if_worthwhile would compress this answer.
[[nodiscard]] bool worth_compressing(const http::Request& request, const http::Response& response);

// Compresses a 200 answer's text body in place when the client accepts gzip and it is
// large enough to be worth it; marks every compressible answer `Vary: Accept-Encoding`
// and gives a compressed answer's ETag its own "-gzip" form.
void compress_if_worthwhile(const http::Request& request, http::Response& response);

// Marks `response`, whose body has just been gzipped, as such: Content-Encoding, Vary, and
// an ETag of its own (which etag_matches still takes for the plain body's).
void mark_gzipped(http::Response& response);

// Turns a 200 whose ETag the request's If-None-Match holds into a 304 without a body.
void not_modified_if_current(const http::Request& request, http::Response& response);

}  // namespace sillypaste::web
