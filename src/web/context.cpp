#include "web/context.hpp"

namespace sillypaste::web {

std::string Context::origin() const {
  const auto host = request.header("host");
  return std::string(request.secure ? "https://" : "http://") +
         std::string(host ? *host : std::string_view("127.0.0.1"));
}

}  // namespace sillypaste::web
