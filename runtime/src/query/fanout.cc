#include "query/fanout.h"

#include <httplib.h>

#include <algorithm>

#include "baton/runtime/log.h"
#include "engine/admission.h"

namespace baton::runtime::query {
namespace {

void put_u32(std::string& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

bool get_u32(std::string_view& in, uint32_t& v) {
  if (in.size() < 4) return false;
  v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  in.remove_prefix(4);
  return true;
}

bool get_bytes(std::string_view& in, std::string& out) {
  uint32_t n = 0;
  if (!get_u32(in, n) || in.size() < n) return false;
  out.assign(in.substr(0, n));
  in.remove_prefix(n);
  return true;
}

}  // namespace

std::string encode_scan(const std::set<int32_t>& partitions,
                        const std::vector<std::tuple<int32_t, std::string, std::string>>& entries) {
  std::string out;
  put_u32(out, static_cast<uint32_t>(partitions.size()));
  for (int32_t p : partitions) put_u32(out, static_cast<uint32_t>(p));
  for (const auto& [p, k, v] : entries) {
    put_u32(out, static_cast<uint32_t>(p));
    put_u32(out, static_cast<uint32_t>(k.size()));
    out += k;
    put_u32(out, static_cast<uint32_t>(v.size()));
    out += v;
  }
  return out;
}

bool decode_scan(std::string_view body, std::set<int32_t>& partitions,
                 std::vector<std::tuple<int32_t, std::string, std::string>>& entries) {
  uint32_t n = 0;
  if (!get_u32(body, n) || n > 100000) return false;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t p = 0;
    if (!get_u32(body, p)) return false;
    partitions.insert(static_cast<int32_t>(p));
  }
  while (!body.empty()) {
    uint32_t p = 0;
    std::string k, v;
    if (!get_u32(body, p) || !get_bytes(body, k) || !get_bytes(body, v)) return false;
    entries.emplace_back(static_cast<int32_t>(p), std::move(k), std::move(v));
  }
  return true;
}

std::optional<QueryResponse> Fanout::get(const std::string& endpoint, const std::string& target,
                                         const std::string& authorization) {
  httplib::Client client((calls_.tls ? "https://" : "http://") + endpoint);
  if (calls_.tls) {
    client.enable_server_certificate_verification(true);
    if (!calls_.ca_file.empty()) client.set_ca_cert_path(calls_.ca_file.c_str());
  }
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(10, 0);
  httplib::Headers headers{{"Authorization", authorization}, {kForwardedHeader, "1"}};
  auto r = client.Get(target.c_str(), headers);
  if (!r) {
    log::warn("query peer unreachable",
              {{"peer", endpoint}, {"error", httplib::to_string(r.error())}});
    return std::nullopt;
  }
  return QueryResponse{r->status, r->body};
}

std::optional<QueryResponse> Fanout::forward_lead(const std::string& lead,
                                                  const std::string& target,
                                                  const std::string& authorization) {
  auto members = dir_->members();
  if (!members) {
    log::warn("query peers unknown", {{"error", members.error().message}});
    return std::nullopt;
  }
  auto peers = members.value().peers;
  if (members.value().partitions > 0) {
    // The owner of the lead's partition first (the lead desk, clocks and
    // lifecycle are keyed by lead id); the others answer for merged leads.
    const int32_t p = partition_of(lead, members.value().partitions);
    std::stable_partition(peers.begin(), peers.end(),
                          [p](const Peer& peer) { return peer.partitions.count(p) > 0; });
  }
  for (const auto& peer : peers) {
    auto r = get(peer.endpoint, target, authorization);
    if (r && r->status == 200) return r;
  }
  return std::nullopt;
}

void Fanout::scan(std::string_view processor, std::string_view prefix, const TaskScan& local,
                  const std::function<bool(std::string_view, std::string_view)>& fn,
                  const std::string& authorization) {
  bool go = true;
  std::set<int32_t> covered =
      local(processor, prefix, [&](int32_t, std::string_view k, std::string_view v) {
        if (go) go = fn(k, v);
      });
  auto members = dir_->members();
  if (!members) throw IncompleteReport("replicas unknown: " + members.error().message);
  const std::string target =
      std::string(kScanPath) + "?" +
      httplib::detail::params_to_query_str(
          {{"processor", std::string(processor)}, {"prefix", std::string(prefix)}});
  for (const auto& peer : members.value().peers) {
    if (std::includes(covered.begin(), covered.end(), peer.partitions.begin(),
                      peer.partitions.end()))
      continue;
    auto r = get(peer.endpoint, target, authorization);
    std::set<int32_t> held;
    std::vector<std::tuple<int32_t, std::string, std::string>> entries;
    if (!r || r->status != 200 || !decode_scan(r->body, held, entries)) continue;
    for (const auto& [p, k, v] : entries)
      if (!covered.count(p) && go) go = fn(k, v);
    covered.insert(held.begin(), held.end());
  }
  for (int32_t p = 0; p < members.value().partitions; ++p)
    if (!covered.count(p))
      throw IncompleteReport("partition " + std::to_string(p) +
                             " is not readable now (its replica is down or moving); retry");
}

}  // namespace baton::runtime::query
