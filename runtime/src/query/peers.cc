#include "query/peers.h"

#include <algorithm>

#include "kafka/describe_group.h"

namespace baton::runtime::query {
namespace {
constexpr std::string_view kClientIdPrefix = "baton@";
constexpr auto kMaxAge = std::chrono::seconds(1);
}  // namespace

std::string client_id_for(const std::string& endpoint) {
  return std::string(kClientIdPrefix) + endpoint;
}

std::optional<std::string> endpoint_of(const std::string& client_id) {
  if (client_id.rfind(kClientIdPrefix, 0) != 0 || client_id.size() == kClientIdPrefix.size())
    return std::nullopt;
  return client_id.substr(kClientIdPrefix.size());
}

Result<std::unique_ptr<PeerDirectory>> PeerDirectory::open(const kafka::Props& props,
                                                           std::string group) {
  kafka::Props p = props;
  p.erase("transactional.id");
  p["client.id"] = "baton-query-peers";
  auto conf = kafka::make_conf(p);
  if (!conf) return conf.error();
  std::string err;
  std::unique_ptr<RdKafka::Producer> handle(RdKafka::Producer::create(conf->get(), err));
  if (!handle) return Error{"kafka.config", "query peer lookup: " + err};
  return std::unique_ptr<PeerDirectory>(new PeerDirectory(std::move(handle), std::move(group)));
}

Result<Members> PeerDirectory::members() {
  std::lock_guard lk(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (cached_ && now - cached_at_ < kMaxAge) return *cached_;
  auto described = kafka::describe_group(*handle_, group_, 3000);
  if (!described) return described.error();
  Members out;
  for (const auto& m : described.value()) {
    Peer peer;
    for (const auto& [topic, partition] : m.partitions) {
      peer.partitions.insert(partition);
      out.partitions = std::max(out.partitions, partition + 1);
    }
    auto endpoint = endpoint_of(m.client_id);
    if (!endpoint || *endpoint == self_) continue;
    peer.endpoint = *endpoint;
    out.peers.push_back(std::move(peer));
  }
  cached_ = out;
  cached_at_ = now;
  return out;
}

}  // namespace baton::runtime::query
