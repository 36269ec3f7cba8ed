#include "dev/health.h"

#include <httplib.h>

namespace baton::dev {

Health check_ready(const std::string& host, int port, std::chrono::milliseconds timeout) {
  httplib::Client client(host, port);
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const auto usecs = std::chrono::duration_cast<std::chrono::microseconds>(timeout - secs);
  client.set_connection_timeout(secs.count(), usecs.count());
  client.set_read_timeout(secs.count(), usecs.count());
  client.set_write_timeout(secs.count(), usecs.count());
  auto res = client.Get("/readyz");
  Health h;
  if (!res) {
    h.detail = httplib::to_string(res.error());
    return h;
  }
  h.status = res->status;
  h.readiness = res->status == 200 ? Readiness::kReady : Readiness::kNotReady;
  h.detail = h.readiness == Readiness::kReady ? "ready" : std::to_string(res->status);
  return h;
}

const char* to_string(Readiness r) {
  switch (r) {
    case Readiness::kReady:
      return "ready";
    case Readiness::kNotReady:
      return "not ready";
    case Readiness::kUnreachable:
      return "unreachable";
  }
  return "unknown";
}

}  // namespace baton::dev
