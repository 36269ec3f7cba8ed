// Read-only JSON queries a service serves on its query listener (TLS and
// bearer tokens; runtime.query, see docs/security.md), apart from the admin
// port's metrics and probes.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baton::runtime {

struct QueryRequest {
  std::string path;                          // e.g. /leads/L1/routing
  std::vector<std::string> params;           // path captures, in order
  std::map<std::string, std::string> query;  // ?by=source
};

struct QueryResponse {
  int status = 200;
  std::string body;  // JSON
};

// Reads a key from whichever local task holds it: the committed state of
// every task of `processor` on this instance. nullopt when no local task has it.
using StateLookup =
    std::function<std::optional<std::string>(std::string_view processor, std::string_view key)>;
// Visits every committed key with a prefix across the processor's local tasks.
using StateScan = std::function<void(
    std::string_view processor, std::string_view prefix,
    const std::function<bool(std::string_view key, std::string_view value)>& fn)>;

// What a caller's token must allow: one lead's data (leads:read; its first
// capture is the lead id, audited) or aggregates (reports:read).
enum class QueryScope { kLead, kReport };

class QueryRouter {
 public:
  using Handler = std::function<QueryResponse(const QueryRequest&)>;
  struct Route {
    std::string pattern;  // a regex on the path, e.g. R"(/leads/([^/]+)/routing)"
    QueryScope scope;
    Handler handler;
  };
  void get(std::string pattern, QueryScope scope, Handler h) {
    routes_.push_back(Route{std::move(pattern), scope, std::move(h)});
  }
  const std::vector<Route>& routes() const { return routes_; }
  StateLookup lookup;  // set by the host before routes() is called
  StateScan scan;

 private:
  std::vector<Route> routes_;
};

}  // namespace baton::runtime
