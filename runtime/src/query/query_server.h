// The query listener: the service's per-lead and report queries on their
// own port, apart from the admin port's metrics and probes. TLS with a
// certificate and key from files (a mounted Secret); bearer tokens from a
// file, kept hashed and reloaded when it changes (tokens.h). Scopes:
// leads:read for one lead's data, reports:read for aggregates, pii:read to
// see contact fields unmasked. Every read is audited in one log line: who
// (the token's name), what (the endpoint), which lead (hashed id), the
// status; no PII. With no token file the listener is off and says so.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "baton/runtime/query.h"
#include "baton/runtime/status.h"
#include "query/fanout.h"
#include "query/tokens.h"

namespace httplib {
class Server;
}

namespace baton::runtime::query {

struct ListenerConfig {
  std::string host = "0.0.0.0";
  int port = 8443;
  std::string token_file;  // empty: the listener is off
  std::string tls_cert_file;
  std::string tls_key_file;
  bool plaintext = false;  // no TLS: local runs and tests only, never with TLS files
  std::chrono::milliseconds reload_interval{2000};
  // host:port other replicas reach this listener at (empty: this host's
  // name and the bound port), and the CA that verifies their certificates.
  std::string advertise;
  std::string peer_ca_file;
};

// The caller's Authorization header while a query runs on this thread: the
// deployment-wide scan passes it on to the peers.
const std::string& current_authorization();

// Checks a config before anything starts: the error names the field and fix.
Status validate(const ListenerConfig& cfg);

class QueryServer {
 public:
  QueryServer(ListenerConfig cfg, const QueryRouter& routes, prometheus::Registry& registry);
  ~QueryServer();
  QueryServer(const QueryServer&) = delete;
  QueryServer& operator=(const QueryServer&) = delete;

  // Reads the token and TLS files, binds and serves in the background. Off
  // (ok, port() == 0) without a token file.
  Status start();
  int port() const { return port_; }
  // host:port other replicas call (after start()).
  std::string advertised() const;
  // Answers from other replicas (set before start()); null: this one only.
  void set_fanout(std::shared_ptr<Fanout> fanout) { fanout_ = std::move(fanout); }
  void stop() noexcept;

 private:
  void add_route(const QueryRouter::Route& route);
  void add_scan_endpoint();

  ListenerConfig cfg_;
  QueryRouter routes_;
  prometheus::Family<prometheus::Counter>& requests_;
  std::unique_ptr<TokenStore> tokens_;
  std::shared_ptr<Fanout> fanout_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::thread watcher_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  int port_ = 0;
};

}  // namespace baton::runtime::query
