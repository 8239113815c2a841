#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <iostream>
#include <thread>

#include "cli/commands.hpp"
#include "config/describe.hpp"
#include "core/log.hpp"
#include "http/file_limit.hpp"
#include "http/server.hpp"
#include "jobs/background.hpp"
#include "jobs/hit_counter.hpp"
#include "jobs/search_indexer.hpp"
#include "web/app.hpp"

namespace sillypaste::cli {

namespace {

void warn_if_too_few_descriptors(std::size_t max_connections) {
  const auto limit = http::raise_open_file_limit();
  const auto needed = http::descriptors_needed(max_connections);
  if (limit >= needed) {
    return;
  }
  std::cerr << "sillypaste: warning: the open-file limit is " << limit
            << ", too low for SILLYPASTE_MAX_CONNECTIONS=" << max_connections << " (about "
            << needed << " needed); raise the limit (ulimit -n, systemd LimitNOFILE=) "
            << "or lower the setting\n";
}

}  // namespace

int serve(const config::Settings& settings) {
  // stdout's reader (a journal, a log shipper) may go away: its messages are lost, not the
  // server. Sockets never raise SIGPIPE (MSG_NOSIGNAL); Org's pandoc child restores it.
  std::signal(SIGPIPE, SIG_IGN);
  warn_if_too_few_descriptors(settings.max_connections);
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
  options.max_body_bytes = settings.max_paste_bytes * 3 + std::size_t{64} * 1024;
  options.trust_proxy = settings.trust_proxy;
  options.max_connections = settings.max_connections;
  options.read_timeout = std::chrono::seconds(settings.request_timeout_seconds);
  options.keep_alive_timeout = std::chrono::seconds(settings.idle_timeout_seconds);
  options.access_log_json = settings.log_json;
  // Creates no longer hold a worker while their paste waits for its commit, so with SQLite
  // the workers wait only for the CPU: one more than the cores keeps them busy, and fewer
  // threads switch less (creates: +10% against 4 per core). PostgreSQL's round trips
  // need more threads to overlap them.
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  options.worker_threads = store->queries_run_in_process() ? cores + 1 : 4 * cores;
  http::Server server(
      options, [&app](http::Request& request) { return app.handle(request); },
      [&app](unsigned status, const std::string& target, const std::string& method) {
        return app.refuse(status, target, method);
      });
  server.set_quick_handler([&app](http::Request& request) { return app.answer_quickly(request); });
  server.listen();
  {
    jobs::Background background(*store, hits, expiry,
                                std::chrono::seconds(settings.expire_interval_seconds));
    jobs::SearchIndexer search_indexer(*store);
    std::cout << "sillypaste " << SILLYPASTE_VERSION << " serving on http://"
              << (settings.bind_host.find(':') != std::string::npos ? "[" + settings.bind_host + "]"
                                                                    : settings.bind_host)
              << ":" << server.port() << "/ (debug " << (settings.debug ? "true" : "false")
              << ", expiry every " << settings.expire_interval_seconds << " s, max paste "
              << settings.max_paste_bytes << " bytes)\n"
              << std::flush;
    server.run();
  }
  // Creates answered once their paste is written tell the server, which must still exist.
  store->finish_paste_inserts();
  // The last requests' lines come before "stopped"; a reader that stopped reading gets 2 s.
  core::flush_log(std::chrono::seconds(2));
  std::cout << "sillypaste: stopped\n" << std::flush;
  return 0;
}

}  // namespace sillypaste::cli
