// Health of a service: HTTP GET /readyz on its admin port.
#pragma once

#include <chrono>
#include <string>

namespace baton::dev {

enum class Readiness { kReady, kNotReady, kUnreachable };

struct Health {
  Readiness readiness = Readiness::kUnreachable;
  int status = 0;      // the HTTP status when it answered
  std::string detail;  // "ready", "503", or why it could not be reached
};

// One bounded GET http://<host>:<port>/readyz: 200 is ready, any other answer
// not ready; no answer within `timeout` (or a refused connection) unreachable.
Health check_ready(const std::string& host, int port, std::chrono::milliseconds timeout);

const char* to_string(Readiness r);

}  // namespace baton::dev
