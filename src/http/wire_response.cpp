#include "http/wire_response.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>
#include <chrono>
#include <iostream>

#include "core/text.hpp"
#include "http/access_log.hpp"

namespace sillypaste::http::detail {

namespace {

namespace beast = boost::beast;

bool is_token(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F ||
        std::string_view{"()<>@,;:\\\"/[]?={}"}.find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

bool is_safe_header_value(std::string_view text) {
  return text.find_first_of(std::string_view{"\r\n\0", 3}) == std::string_view::npos;
}

// Headers the transport owns: a handler setting them would break the framing.
bool is_reserved_header(std::string_view name) {
  return beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
         beast::iequals(name, "connection") || beast::iequals(name, "date");
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

WireResponse to_wire(Response&& response, unsigned version, bool head, bool keep_alive) {
  if (response.status < 200 || response.status > 599) {
    std::cerr << "sillypaste: handler returned status " << response.status << ", sending 500\n";
    response = Response{500, "text/plain; charset=utf-8", "Internal Server Error\n", {}, {}, {}};
  }
  WireResponse wire;
  wire.status = response.status;
  const auto body_size = response.body_bytes().size();
  std::string& out = wire.head;
  out.reserve(256 + response.content_type.size() + response.headers.size() * 64);

  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  core::append_number(out, response.status);
  out.push_back(' ');
  out.append(beast::http::obsolete_reason(static_cast<beast::http::status>(response.status)));
  out.append("\r\n");
  append_field(out, "Date", http_date(std::chrono::system_clock::now()));
  if (!response.content_type.empty() && is_safe_header_value(response.content_type)) {
    append_field(out, "Content-Type", response.content_type);
  }
  for (const auto& [name, value] : response.headers) {
    if (!is_token(name) || !is_safe_header_value(value) || is_reserved_header(name)) {
      std::cerr << "sillypaste: dropped invalid response header '" << name << "'\n";
      continue;
    }
    append_field(out, name, value);
  }
  const bool no_body_allowed = response.status == 204 || response.status == 304;
  if (!no_body_allowed) {
    out.append("Content-Length: ");
    core::append_number(out, body_size);
    out.append("\r\n");
  }
  // HTTP/1.1 keeps a connection open unless told; HTTP/1.0 closes it unless told.
  if (version >= 11 && !keep_alive) {
    out.append("Connection: close\r\n");
  } else if (version < 11 && keep_alive) {
    out.append("Connection: keep-alive\r\n");
  }
  out.append("\r\n");

  if (!head && !no_body_allowed) {
    wire.owned_body = std::move(response.body);
    wire.shared_body = std::move(response.shared_body);
  }
  return wire;
}

}  // namespace sillypaste::http::detail
