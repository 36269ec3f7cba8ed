#include "admin/admin_server.h"

#include <httplib.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "admin/serve.h"
#include "baton/runtime/log.h"

namespace baton::runtime {

AdminServer::AdminServer(std::shared_ptr<prometheus::Registry> registry, AdminHooks hooks)
    : registry_(std::move(registry)), hooks_(std::move(hooks)) {}

AdminServer::~AdminServer() { stop(); }

Status AdminServer::start(const std::string& host, int port) {
  server_ = std::make_unique<httplib::Server>();
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    prometheus::TextSerializer ser;
    res.set_content(ser.Serialize(registry_->Collect()), "text/plain; version=0.0.4");
  });
  server_->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    bool ok = !hooks_.healthy || hooks_.healthy();
    res.status = ok ? 200 : 503;
    res.set_content(ok ? "ok\n" : "unhealthy\n", "text/plain");
  });
  server_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    bool ok = hooks_.ready && hooks_.ready();
    res.status = ok ? 200 : 503;
    res.set_content(hooks_.status_json ? hooks_.status_json() : "{}", "application/json");
  });
  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
    if (port_ <= 0) return Error{"admin.bind", "cannot bind the admin port on " + host};
  } else {
    if (!server_->bind_to_port(host, port))
      return Error{"admin.bind", "cannot bind admin port " + host + ":" + std::to_string(port) +
                                     " (in use? set admin.port)"};
    port_ = port;
  }
  thread_ = serve_in_background(*server_);
  log::info("admin http listening", {{"port", std::to_string(port_)}});
  return Status::ok();
}

void AdminServer::stop() noexcept {
  try {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
  } catch (...) {
  }
}

}  // namespace baton::runtime
