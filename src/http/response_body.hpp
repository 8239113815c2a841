#pragma once

// The Beast body type of our answers: bytes of our own, or bytes someone else keeps (the
// response cache) that are written from where they are instead of being copied.

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace sillypaste::http::detail {

struct ResponseBody {
  struct value_type {
    std::string owned;
    std::shared_ptr<const std::string> shared;  // when set, the body (owned is unused)

    [[nodiscard]] std::string_view bytes() const {
      return shared ? std::string_view(*shared) : std::string_view(owned);
    }
  };

  static std::uint64_t size(const value_type& body) { return body.bytes().size(); }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;

    template <bool IsRequest, class Fields>
    writer(const boost::beast::http::header<IsRequest, Fields>& /*header*/, const value_type& body)
        : bytes_(body.bytes()) {}

    void init(boost::beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      ec = {};
      if (given_) {
        return boost::none;
      }
      given_ = true;
      return std::make_pair(const_buffers_type(bytes_.data(), bytes_.size()), false);
    }

   private:
    std::string_view bytes_;
    bool given_ = false;
  };
};

}  // namespace sillypaste::http::detail
