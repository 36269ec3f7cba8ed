// Read-only JSON queries a service serves on its query listener (TLS and
// bearer tokens; runtime.query, see docs/security.md), apart from the admin
// port's metrics and probes.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
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

// Visits a processor's local tasks under a prefix with each entry's
// partition; returns the partitions visited (the host's, for fan-out).
using TaskScan = std::function<std::set<int32_t>(
    std::string_view processor, std::string_view prefix,
    const std::function<void(int32_t partition, std::string_view key, std::string_view value)>&
        fn)>;

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
  // Declares state a report reads with `scan`: other replicas may read these
  // prefixes of this processor's tasks (reports:read), and nothing else.
  void share(std::string processor, std::string prefix) {
    shared_.insert({std::move(processor), std::move(prefix)});
  }
  const std::vector<Route>& routes() const { return routes_; }
  const std::set<std::pair<std::string, std::string>>& shared() const { return shared_; }
  // Set by the host before routes are installed. lookup reads this
  // replica's tasks (a per-lead query it cannot answer is forwarded to the
  // lead's owner); scan reads the whole deployment's shared prefixes.
  StateLookup lookup;
  StateScan scan;
  TaskScan local_scan;  // this replica's tasks only (the scan endpoint)

 private:
  std::vector<Route> routes_;
  std::set<std::pair<std::string, std::string>> shared_;
};

}  // namespace baton::runtime
