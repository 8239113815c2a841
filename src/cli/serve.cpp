#include <algorithm>
#include <iostream>
#include <thread>

#include "cli/commands.hpp"
#include "http/server.hpp"
#include "jobs/background.hpp"
#include "jobs/hit_counter.hpp"
#include "web/app.hpp"

namespace sillypaste::cli {

int serve(const config::Settings& settings) {
  auto store = store::open_store(settings.database_url);
  prepare_database(*store);
  jobs::HitCounter hits;
  web::App app(settings, secret_key(settings, *store), *store, hits);

  http::ServerOptions options;
  options.address = settings.bind_host;
  options.port = settings.port;
  // Form encoding can triple a body's size; the paste limit itself is checked after decoding.
  options.max_body_bytes = settings.max_paste_bytes * 3 + 64 * 1024;
  options.trust_proxy = settings.trust_proxy;
  http::Server server(
      options, [&app](http::Request& request) { return app.handle(request); },
      [&app](unsigned status, const std::string& target, const std::string& method) {
        return app.refuse(status, target, method);
      });
  server.listen();
  {
    jobs::Background background(*store, hits,
                                std::chrono::seconds(settings.expire_interval_seconds));
    std::cout << "sillypaste " << SILLYPASTE_VERSION << " serving on http://"
              << (settings.bind_host.find(':') != std::string::npos
                      ? "[" + settings.bind_host + "]"
                      : settings.bind_host)
              << ":" << server.port() << "/ (debug " << (settings.debug ? "true" : "false")
              << ", expiry every " << settings.expire_interval_seconds << " s, max paste "
              << settings.max_paste_bytes << " bytes)\n"
              << std::flush;
    server.run();
  }
  std::cout << "sillypaste: stopped\n" << std::flush;
  return 0;
}

}  // namespace sillypaste::cli
