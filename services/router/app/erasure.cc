#include "erasure.h"

#include "baton/runtime/events.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/router_state.pb.h"
#include "domain/identity.h"
#include "domain/merge_erasure.h"
#include "identity_desk.h"
#include "processors.h"

namespace baton::router {
runtime::ProcessResult erase_lead_keys(const runtime::Record& in, const runtime::StateView& state,
                                       const RouterSettings& settings, runtime::TimePoint now) {
  v1::ErasureRequest req;
  if (!runtime::decode(in.value, req))
    return runtime::Rejection{"decode", "not a baton.v1.ErasureRequest"};
  const std::string lead = req.envelope().lead_id().empty() ? in.key : req.envelope().lead_id();
  if (lead.empty()) return runtime::Rejection{"invalid", "erasure without lead id"};
  const std::string id = runtime::input_event_id(in, req.envelope().event_id());
  runtime::Effects fx;
  fx.dedup_id = id;
  const std::string key = "lead/" + lead;
  v1::LeadState current;
  auto raw = state.get(key);
  const bool have = raw && current.ParseFromString(*raw);
  // A merged-away lead: its data lives on in the survivor, which is erased
  // too (keyed by the survivor, on the erasure topic every service reads).
  if (have) {
    if (auto survivor = survivor_erasure(current, req, now)) {
      const std::string sid = runtime::derive_event_id(id, "erase-survivor");
      survivor->mutable_envelope()->set_event_id(sid);
      fx.emit(runtime::make_output(settings.topics.erasure, survivor->envelope().lead_id(),
                                   *survivor, sid, now));
    }
  }
  if (have && current.has_captured()) {
    const std::string identity = identity_key(current.captured(), settings.routing.identity);
    if (!identity.empty()) {
      v1::ErasureRequest notice;  // ids only
      notice.mutable_envelope()->set_lead_id(lead);
      notice.mutable_envelope()->set_event_id(runtime::derive_event_id(id, "erase-identity"));
      notice.mutable_envelope()->set_source_system("baton-router");
      notice.mutable_envelope()->set_causation_id(id);
      *notice.mutable_envelope()->mutable_event_time() = runtime::to_timestamp(now);
      // Person records of an earlier build live on the identity topic's
      // partitions (LeadDesk's store); this build's at the identity desk.
      const std::string person = identity_hash(identity);
      fx.emit(runtime::make_output(settings.topics.identity, person, notice,
                                   notice.envelope().event_id(), now, kIdentityErasureType));
      forget_person(fx, settings, person, notice.envelope(),
                    runtime::derive_event_id(id, "erase-person"), now);
    }
  }
  fx.del(key);
  fx.del("routing/" + lead);
  return fx;
}

void forget_person(runtime::Effects& fx, const RouterSettings& settings, const std::string& person,
                   const v1::Envelope& notice, const std::string& event_id,
                   runtime::TimePoint now) {
  v1::IdentityCheck forget;  // ids only
  forget.set_identity_key(person);
  forget.set_erase(true);
  *forget.mutable_lead()->mutable_envelope() = notice;
  forget.mutable_lead()->mutable_envelope()->set_event_id(event_id);
  emit_to_identity_desk(fx, settings, forget, event_id, now);
}

runtime::ProcessResult erase_identity(const runtime::Record& in, const RouterSettings& settings,
                                      runtime::TimePoint now) {
  v1::ErasureRequest notice;
  if (!runtime::decode(in.value, notice))
    return runtime::Rejection{"decode", "not a baton.v1.ErasureRequest"};
  if (in.key.empty()) return runtime::Rejection{"invalid", "identity erasure without key"};
  runtime::Effects fx;
  fx.dedup_id = runtime::input_event_id(in, notice.envelope().event_id());
  fx.del(std::string(kPersonPrefix) + in.key);
  // Again at the desk, after any carry of this record from here: a carry
  // that overtook the erasure there is undone (identity_desk.h).
  forget_person(fx, settings, in.key, notice.envelope(),
                runtime::derive_event_id(fx.dedup_id, "erase-carried"), now);
  return fx;
}

}  // namespace baton::router
