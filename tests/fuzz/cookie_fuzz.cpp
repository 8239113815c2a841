// http::cookie: the Cookie header parser. Input: the header value; the first line
// (up to '\n') is the cookie name looked up when the input has one.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/cookies.hpp"

using namespace sillypaste;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string name = "sessionid";
  if (const auto nl = text.find('\n'); nl != std::string_view::npos) {
    name = std::string(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  http::Request request;
  request.method = "GET";
  request.target = request.path = "/";
  // A second header when the value has a '\r' in it: requests may repeat Cookie.
  if (const auto cr = text.find('\r'); cr != std::string_view::npos) {
    request.headers.emplace_back("cookie", std::string(text.substr(0, cr)));
    request.headers.emplace_back("cookie", std::string(text.substr(cr + 1)));
  } else {
    request.headers.emplace_back("cookie", std::string(text));
  }
  (void)http::cookie(request, name);
  (void)http::cookie(request, "csrftoken");
  return 0;
}
