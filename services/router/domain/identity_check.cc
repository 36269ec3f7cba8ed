#include "identity_check.h"

namespace baton::router {

IdentityOutcome resolve_identity(const v1::IdentityCheck& check, const v1::IdentityRecord* existing,
                                 const RoutingConfig& cfg, TimePoint now) {
  IdentityOutcome out;
  IdentityDecision d = decide_identity(check.lead(), existing, cfg.identity, now);
  out.record = d.record;
  out.merged = d.merged;
  const std::string& original = check.lead().envelope().lead_id();
  if (check.decided() && !d.merged) {
    out.keep_decision = true;
    if (check.pool_requests_size() == 0) {
      LeadDecision::Internal confirmed;
      confirmed.purpose = "confirmed";
      confirmed.key = original;
      confirmed.input.mutable_confirmed()->set_lead_id(original);
      out.internal.push_back(std::move(confirmed));
    }
    return out;
  }
  LeadDecision::Internal intake;
  intake.purpose = "intake";
  intake.key = d.canonical_lead_id;
  auto* in = intake.input.mutable_intake();
  *in->mutable_lead() = check.lead();
  in->mutable_lead()->mutable_envelope()->set_lead_id(d.canonical_lead_id);
  in->set_merged(d.merged);
  in->set_original_lead_id(original);
  out.internal.push_back(intake);
  if (d.merged) {
    LeadDecision::Internal alias;
    alias.purpose = "alias";
    alias.key = original;
    alias.input.mutable_alias()->set_lead_id(original);
    alias.input.mutable_alias()->set_canonical_lead_id(d.canonical_lead_id);
    out.internal.push_back(alias);
  }
  return out;
}

}  // namespace baton::router
