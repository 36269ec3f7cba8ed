// The admin HTTP port: /metrics, /healthz and /readyz only (the queries,
// which read lead data, have their own listener: query/query_server.h).
// Runs on its own thread; stop() is noexcept and joins it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "baton/runtime/status.h"

namespace httplib {
class Server;
}
namespace prometheus {
class Registry;
}

namespace baton::runtime {

struct AdminHooks {
  std::function<bool()> healthy;
  std::function<bool()> ready;
  std::function<std::string()> status_json;
};

class AdminServer {
 public:
  AdminServer(std::shared_ptr<prometheus::Registry> registry, AdminHooks hooks);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Binds host:port (port 0 picks a free one) and serves in the background.
  Status start(const std::string& host, int port);
  int port() const { return port_; }
  void stop() noexcept;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  AdminHooks hooks_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace baton::runtime
