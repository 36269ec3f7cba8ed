#include "baton/v1/contract.h"

#include <utility>

namespace baton::v1 {
namespace {

// Every kind with its legacy name: both directions of the mapping.
constexpr std::pair<PoolRequestKind, std::string_view> kPoolRequestKinds[] = {
    {POOL_REQUEST_KIND_ASSIGN, "assign"},
    {POOL_REQUEST_KIND_RELEASE, "release"},
    {POOL_REQUEST_KIND_WITHDRAW, "withdraw"},
    {POOL_REQUEST_KIND_ESCALATE, "escalate"},
    {POOL_REQUEST_KIND_FALLBACK, "fallback"},
    {POOL_REQUEST_KIND_FALLBACK_ASSIGNED, "fallback_assigned"},
    {POOL_REQUEST_KIND_FALLBACK_NONE, "fallback_none"},
};

}  // namespace

std::string format_uuid(uint64_t hi, uint64_t lo, unsigned version) {
  hi = (hi & ~0xF000ULL) | (static_cast<uint64_t>(version & 0xF) << 12);
  lo = (lo & ~(0xC0ULL << 56)) | (0x80ULL << 56);
  // 8-4-4-4-12 hex digits, most significant first (snprintf was 1% of the
  // router's CPU: every output's id is one).
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  size_t at = 0;
  for (int nibble = 0; nibble < 32; ++nibble) {
    if (at == 8 || at == 13 || at == 18 || at == 23) ++at;
    const uint64_t word = nibble < 16 ? hi : lo;
    out[at++] = kHex[(word >> (60 - 4 * (nibble % 16))) & 0xF];
  }
  return out;
}

std::string tier_label(Tier tier) {
  switch (tier) {
    case TIER_HIGH_INTENT:
      return "high-intent";
    case TIER_NURTURE:
      return "nurture";
    default:
      return "standard";
  }
}

namespace {

// Every tier with its config name, highest first.
constexpr std::pair<Tier, std::string_view> kTierNames[] = {
    {TIER_HIGH_INTENT, "high_intent"},
    {TIER_STANDARD, "standard"},
    {TIER_NURTURE, "nurture"},
};

}  // namespace

std::string tier_name(Tier tier) {
  for (const auto& [t, name] : kTierNames)
    if (t == tier) return std::string(name);
  return "unspecified";
}

std::optional<Tier> tier_from_name(std::string_view name) {
  for (const auto& [t, n] : kTierNames)
    if (n == name) return t;
  return std::nullopt;
}

const std::vector<std::string>& tier_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& [t, name] : kTierNames) out.emplace_back(name);
    return out;
  }();
  return names;
}

std::string alert_kind_label(AlertKind kind) {
  switch (kind) {
    case ALERT_KIND_ASSIGNED:
      return "assigned";
    case ALERT_KIND_SLA_WARNING:
      return "sla_warning";
    case ALERT_KIND_REASSIGNED_AWAY:
      return "reassigned_away";
    default:
      return "unspecified";
  }
}

std::string merged_into_erased_basis(const std::string& survivor_lead_id) {
  return "merged into erased lead " + survivor_lead_id;
}

ErasureRequest follow_on_erasure(const ErasureRequest& cause, const std::string& lead_id,
                                 const std::string& service, const std::string& legal_basis,
                                 const google::protobuf::Timestamp& at) {
  ErasureRequest r;  // ids only
  auto* e = r.mutable_envelope();
  e->set_lead_id(lead_id);
  *e->mutable_event_time() = at;
  e->set_source_system(service);
  e->set_schema_version("v1");
  e->set_correlation_id(cause.envelope().correlation_id());
  e->set_causation_id(cause.envelope().event_id());
  r.set_requested_by(service);
  r.set_legal_basis(legal_basis);
  return r;
}

// The deprecated string field is read and written here only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

PoolRequestKind pool_request_kind(const PoolRequest& request) {
  const PoolRequestKind kind = request.request_kind();
  if (kind != POOL_REQUEST_KIND_UNSPECIFIED && PoolRequestKind_IsValid(kind)) return kind;
  for (const auto& [k, name] : kPoolRequestKinds)
    if (request.kind() == name) return k;
  return POOL_REQUEST_KIND_UNSPECIFIED;
}

void set_pool_request_kind(PoolRequest& request, PoolRequestKind kind) {
  request.set_request_kind(kind);
  request.set_kind(std::string(pool_request_kind_name(kind)));
}

#pragma GCC diagnostic pop

std::string_view pool_request_kind_name(PoolRequestKind kind) {
  for (const auto& [k, name] : kPoolRequestKinds)
    if (k == kind) return name;
  return {};
}

}  // namespace baton::v1
