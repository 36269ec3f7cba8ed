#include "baton/v1/contract.h"

#include <cstdio>

namespace baton::v1 {

std::string format_uuid(uint64_t hi, uint64_t lo, unsigned version) {
  hi = (hi & ~0xF000ULL) | (static_cast<uint64_t>(version & 0xF) << 12);
  lo = (lo & ~(0xC0ULL << 56)) | (0x80ULL << 56);
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
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

}  // namespace baton::v1
