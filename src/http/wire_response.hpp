#pragma once

#include <array>
#include <boost/asio/buffer.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace sillypaste::http::detail {

// An answer as it goes on the wire: the status line and header fields in one string, then
// the body, sent with one gathered write. (Beast's serializer walked its nested buffer
// sequences piece by piece: 7% of a paste page's CPU.)
struct WireResponse {
  unsigned status = 0;
  std::string head;  // "HTTP/1.1 200 OK\r\n", the fields, "\r\n"
  std::string owned_body;
  std::shared_ptr<const std::string> shared_body;  // when set, the body (owned_body is unused)

  [[nodiscard]] std::string_view body() const {
    return shared_body ? std::string_view(*shared_body) : std::string_view(owned_body);
  }
  [[nodiscard]] std::array<boost::asio::const_buffer, 2> buffers() const {
    const auto bytes = body();
    return {boost::asio::buffer(head), boost::asio::buffer(bytes.data(), bytes.size())};
  }
};

// The answer to write for a handler's `response`: a status outside 200-599 becomes a 500;
// header fields that would break the framing (reserved names, CR or LF, names that are not
// tokens) are left out and logged; Date, Content-Length and Connection are the server's.
// A HEAD answer keeps the Content-Length of the body it leaves out; 204 and 304 have none.
[[nodiscard]] WireResponse to_wire(Response&& response, unsigned version, bool head,
                                   bool keep_alive);

}  // namespace sillypaste::http::detail
