#include <algorithm>
#include <iostream>
#include <thread>

#include "cli/commands.hpp"
#include "config/describe.hpp"
#include "http/server.hpp"
#include "jobs/background.hpp"
#include "jobs/hit_counter.hpp"
#include "web/app.hpp"

namespace sillypaste::cli {

int serve(const config::Settings& settings) {
  std::cout << config::describe(settings)
            << "database: " << config::mask_database_url(settings.database_url) << "\n"
            << std::flush;
  auto store = store::open_store(settings.database_url, settings.db_pool_size);
  prepare_database(*store);
  jobs::HitCounter hits;
  jobs::ExpiryMonitor expiry;
  expiry.record_success(core::now_micros());  // prepare_database ran one pass
  web::App app(settings, secret_key(settings, *store), *store, hits, expiry);

  http::ServerOptions options;
  options.address = settings.bind_host;
  options.port = settings.port;
  // Form encoding can triple a body's size; the paste limit itself is checked after decoding.
  options.max_body_bytes = settings.max_paste_bytes * 3 + 64 * 1024;
  options.trust_proxy = settings.trust_proxy;
  options.access_log_json = settings.log_json;
  http::Server server(
      options, [&app](http::Request& request) { return app.handle(request); },
      [&app](unsigned status, const std::string& target, const std::string& method) {
        return app.refuse(status, target, method);
      });
  server.listen();
  {
    jobs::Background background(*store, hits, expiry,
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
