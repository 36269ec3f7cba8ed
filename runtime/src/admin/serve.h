// The admin and query listeners' start: serve a bound httplib server on its
// own thread.
#pragma once

#include <httplib.h>

#include <chrono>
#include <thread>

#include "baton/runtime/retry.h"

namespace baton::runtime {

// Runs server.listen_after_bind() on a new thread and returns it once the
// loop runs (at most about 5 s): httplib's stop() is a no-op until then, so
// a start-up failure right after this still stops the server.
inline std::thread serve_in_background(httplib::Server& server) {
  std::thread t([&server] { server.listen_after_bind(); });
  poll_until([&server] { return server.is_running(); },
             RetryPolicy{.max_attempts = 500,
                         .base = std::chrono::milliseconds(10),
                         .max_delay = std::chrono::milliseconds(10),
                         .jitter = Jitter::kNone});
  return t;
}

}  // namespace baton::runtime
