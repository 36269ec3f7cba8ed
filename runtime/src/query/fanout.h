// Deployment-wide queries from any replica (issue 20), as Kafka Streams'
// interactive queries: a per-lead query this replica cannot answer goes to
// the replica that owns the lead's partition (group metadata, peers.h), then
// to the others; a report's state scan reads this replica's tasks and every
// other partition from its owner, each partition exactly once, or fails as
// incomplete. Calls carry the caller's bearer token: the peer authenticates
// and authorizes them as any query, and X-Baton-Forwarded stops a second hop.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include "baton/runtime/query.h"
#include "query/peers.h"

namespace baton::runtime::query {

inline constexpr const char* kForwardedHeader = "X-Baton-Forwarded";
inline constexpr const char* kScanPath = "/internal/v1/scan";

// A report that could not read every partition.
struct IncompleteReport : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The scan endpoint's body: the partitions held, then (partition, key, value).
std::string encode_scan(const std::set<int32_t>& partitions,
                        const std::vector<std::tuple<int32_t, std::string, std::string>>& entries);
bool decode_scan(std::string_view body, std::set<int32_t>& partitions,
                 std::vector<std::tuple<int32_t, std::string, std::string>>& entries);

struct PeerCalls {
  bool tls = true;
  std::string ca_file;  // verifies peers' certificates; empty: the system's CAs
};

class Fanout {
 public:
  Fanout(std::shared_ptr<PeerDirectory> dir, PeerCalls calls)
      : dir_(std::move(dir)), calls_(std::move(calls)) {}
  // This replica's advertised endpoint (once its listener is bound).
  void set_self(const std::string& endpoint) { dir_->set_self(endpoint); }
  // The first 200 answer to `target` (path and query) among the peers, the
  // owner of the lead's partition first; nullopt if none has the lead.
  std::optional<QueryResponse> forward_lead(const std::string& lead, const std::string& target,
                                            const std::string& authorization);
  // Visits every partition's entries under `prefix` once: `local` first (it
  // returns the partitions it visited), then the peers for the rest.
  // Throws IncompleteReport when a partition could not be read.
  void scan(std::string_view processor, std::string_view prefix, const TaskScan& local,
            const std::function<bool(std::string_view, std::string_view)>& fn,
            const std::string& authorization);

 private:
  std::optional<QueryResponse> get(const std::string& endpoint, const std::string& target,
                                   const std::string& authorization);
  std::shared_ptr<PeerDirectory> dir_;
  PeerCalls calls_;
};

}  // namespace baton::runtime::query
