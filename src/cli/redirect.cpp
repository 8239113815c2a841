// `sillypaste redirect --to URL`: answers every request with a 301 to URL + the request's
// path and query, exactly as received. Replaces a separate "redirect app" for an old
// hostname; opens no database and keeps a tiny footprint (one network thread, one worker).
#include <boost/url/parse.hpp>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "cli/commands.hpp"
#include "core/text.hpp"
#include "http/server.hpp"

namespace sillypaste::cli {
namespace {

// Bodies are never read for anything; a larger one still gets its redirect (see below).
constexpr std::size_t kMaxBodyBytes = 64 * 1024;

[[noreturn]] void bad_url(std::string_view value, std::string_view why) {
  throw config::SettingsError("--to: invalid value '" + std::string(value) + "': " +
                              std::string(why));
}

// The redirect base: an absolute http(s) URL with a host and no query or fragment,
// without its trailing slashes (the request's path brings its own).
std::string parse_base(std::string_view value) {
  auto parsed = boost::urls::parse_absolute_uri(value);
  if (!parsed) {
    bad_url(value, "expected an absolute URL such as https://paste.example.com");
  }
  const auto scheme = core::ascii_lower(parsed->scheme());
  if (scheme != "http" && scheme != "https") {
    bad_url(value, "the scheme must be http or https");
  }
  if (!parsed->has_authority() || parsed->encoded_host().empty()) {
    bad_url(value, "the URL has no host");
  }
  if (parsed->has_userinfo()) {
    bad_url(value, "the URL may not contain a user name or password");
  }
  if (parsed->has_query() || parsed->has_fragment()) {
    bad_url(value, "the URL may not contain a query or a fragment");
  }
  std::string base(value);
  while (base.ends_with('/')) {
    base.pop_back();
  }
  return base;
}

// The path and query of a request target as sent: origin-form ("/a?b") as is, the
// path of an absolute-form target ("http://host/a?b"), "/" for anything else ("*").
std::string_view path_and_query(std::string_view target) {
  if (target.starts_with('/')) {
    return target;
  }
  if (const auto scheme_end = target.find("://"); scheme_end != std::string_view::npos) {
    const auto rest = target.substr(scheme_end + 3);
    const auto end_of_authority = rest.find_first_of("/?");
    if (end_of_authority != std::string_view::npos && rest[end_of_authority] == '/') {
      return rest.substr(end_of_authority);
    }
  }
  return "/";
}

std::string location_for(const std::string& base, std::string_view target) {
  auto location = base;
  const auto tail = path_and_query(target);
  if (!tail.starts_with('/')) {
    location += '/';
  }
  location += tail;
  return location;
}

http::Response moved(const std::string& location) {
  http::Response response;
  response.status = 301;
  response.content_type = "text/plain; charset=utf-8";
  response.body = "Moved Permanently\n";
  response.add_header("Location", location);
  return response;
}

}  // namespace

int redirect(const std::string& to, const config::EnvLookup& env,
             const std::map<std::string, std::string>& flags) {
  const std::string base = parse_base(to);

  // The listen address, read like `serve` reads it: --bind / SILLYPASTE_BIND win over
  // --port / PORT; the default is 127.0.0.1:8000.
  auto value = [&](const std::string& flag,
                   std::string_view variable) -> std::optional<std::pair<std::string, std::string>> {
    if (auto it = flags.find(flag); it != flags.end()) return std::pair{"--" + flag, it->second};
    if (auto v = env(variable)) return std::pair{std::string(variable), *v};
    return std::nullopt;
  };
  http::ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 8000;
  if (auto port = value("port", "PORT")) {
    options.port = static_cast<unsigned short>(
        config::parse_integer(port->first, port->second, 0, 65535));
  }
  if (auto bind = value("bind", "SILLYPASTE_BIND")) {
    auto parsed = config::parse_bind(bind->first, bind->second);
    options.address = parsed.host;
    options.port = parsed.port;
  }
  options.max_body_bytes = kMaxBodyBytes;
  options.network_threads = 1;
  options.worker_threads = 1;

  http::Server server(
      options, [&base](http::Request& request) { return moved(location_for(base, request.target)); },
      // Refused before the handler: a body over the limit, a path with a bad escape or
      // an asterisk target still gets its redirect once the request line was read
      // (target "-" means it was not); anything else keeps its 4xx.
      [&base](unsigned status, const std::string& target, const std::string&) {
        if ((status == 413 || status == 400) && target != "-") {
          return moved(location_for(base, target));
        }
        return http::Response{status, "text/plain; charset=utf-8",
                              "Error " + std::to_string(status) + "\n", {}, {}, {}};
      });
  server.listen();
  std::cout << "sillypaste " << SILLYPASTE_VERSION << " redirecting http://"
            << (options.address.find(':') != std::string::npos ? "[" + options.address + "]"
                                                                 : options.address)
            << ":" << server.port() << "/ to " << base << "/\n"
            << std::flush;
  server.run();
  std::cout << "sillypaste: stopped\n" << std::flush;
  return 0;
}

}  // namespace sillypaste::cli
