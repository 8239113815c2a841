#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sillypaste::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

class PendingResponse;  // pending_response.hpp

struct Request {
  std::string method;  // "GET", "POST", ... as sent
  std::string target;  // path and query as sent: "/all/?q=x"
  std::string path;    // percent-decoded path, no query: "/all/"
  std::string query;   // raw query string without '?', may be empty
  Headers headers;     // names lower-cased, in arrival order
  std::string body;
  std::string remote_address;  // peer address ("127.0.0.1")
  bool secure = false;         // came over TLS (or X-Forwarded-Proto: https when trusted)

  // First header with this name (case-insensitive), if any.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const;
};

struct Response {
  unsigned status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  Headers headers;  // extra headers, e.g. Location, Set-Cookie (may repeat)
  // When set, the body is these bytes instead of `body`: bytes someone else keeps (the
  // response cache), sent as they are rather than copied into every answer.
  std::shared_ptr<const std::string> shared_body;
  // When set, a handler's answer is not ready yet: the server waits for this instead, and
  // ignores the rest of this Response. Never from a quick handler.
  std::shared_ptr<PendingResponse> pending;

  [[nodiscard]] static Response later(std::shared_ptr<PendingResponse> pending) {
    Response response;
    response.pending = std::move(pending);
    return response;
  }

  void add_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
  [[nodiscard]] std::string_view body_bytes() const {
    return shared_body ? std::string_view(*shared_body) : std::string_view(body);
  }
  void set_body(std::string bytes) {
    body = std::move(bytes);
    shared_body.reset();
  }
  void share_body(std::shared_ptr<const std::string> bytes) {
    body.clear();
    shared_body = std::move(bytes);
  }
};

}  // namespace sillypaste::http
