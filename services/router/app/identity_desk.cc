#include "identity_desk.h"

#include "baton/runtime/events.h"
#include "domain/identity.h"
#include "domain/identity_check.h"

namespace baton::router {
namespace {
// baton_router_identity_checks_total{outcome}, once the step commits.
void count_after_commit(runtime::Effects& fx, const std::shared_ptr<RouterMetrics>& metrics,
                        const char* outcome) {
  if (metrics) fx.after_commit([metrics, outcome] { metrics->identity_resolved(outcome); });
}
}  // namespace

void emit_to_identity_desk(runtime::Effects& fx, const RouterSettings& s,
                           const google::protobuf::Message& msg, const std::string& event_id,
                           runtime::TimePoint now) {
  fx.emit(
      runtime::make_output(s.topics.pool_requests, identity_desk(s.routing), msg, event_id, now));
}

v1::Envelope* envelope_of(v1::RoutingEvent& ev) {
  if (ev.has_assignment()) return ev.mutable_assignment()->mutable_envelope();
  if (ev.has_nurture()) return ev.mutable_nurture()->mutable_envelope();
  if (ev.has_tier_changed()) return ev.mutable_tier_changed()->mutable_envelope();
  if (ev.has_score_updated()) return ev.mutable_score_updated()->mutable_envelope();
  if (ev.has_held()) return ev.mutable_held()->mutable_envelope();
  if (ev.has_merged()) return ev.mutable_merged()->mutable_envelope();
  return nullptr;
}

void emit_routing(runtime::Effects& fx, const RouterSettings& s, v1::RoutingEvent& ev,
                  runtime::TimePoint now) {
  const v1::Envelope* env = envelope_of(ev);
  std::string eid = env ? env->event_id() : std::string();
  std::string lead = env ? env->lead_id() : std::string();
  fx.emit(runtime::make_output(s.topics.routing, lead, ev, eid, now, "baton.v1.RoutingEvent"));
}

void emit_internal(runtime::Effects& fx, const RouterSettings& s,
                   std::vector<LeadDecision::Internal>& internal, const std::string& id,
                   runtime::TimePoint now) {
  for (auto& i : internal) {
    std::string eid = runtime::derive_event_id(id, i.purpose);
    if (i.input.has_signal()) {
      // Keep the signal's own id: the canonical lead de-duplicates on it.
      eid = runtime::derive_event_id(i.input.signal().envelope().event_id(), "forward");
    }
    fx.emit(runtime::make_output(s.topics.leads, i.key, i.input, eid, now));
  }
}

bool resolve_check(v1::IdentityCheck& check, const std::string& id, const runtime::StateView& state,
                   const RouterSettings& s, const std::shared_ptr<RouterMetrics>& metrics,
                   runtime::Effects& fx, runtime::TimePoint now) {
  auto count = [&](const char* outcome) { count_after_commit(fx, metrics, outcome); };
  const std::string key = std::string(kPersonPrefix) + check.identity_key();
  if (check.erase()) {
    // Counted when there was a person to forget: an erasure can reach the
    // desk twice (directly, and again from the identity topic; erasure.h).
    if (state.get(key)) count("erased");
    fx.del(key);
    return false;
  }
  v1::IdentityRecord rec;
  auto raw = state.get(key);
  const bool have = raw && rec.ParseFromString(*raw);
  IdentityOutcome o = resolve_identity(check, have ? &rec : nullptr, s.routing, now);
  fx.put(key, o.record.SerializeAsString());
  count(o.merged ? "merged" : "kept");
  if (o.keep_decision) {
    // Not merged: what the lead's desk decided at capture goes on.
    for (auto& ev : *check.mutable_routing()) emit_routing(fx, s, ev, now);
  }
  emit_internal(fx, s, o.internal, id, now);
  return o.keep_decision;
}

void adopt_person(const v1::PersonCarried& carried, const runtime::StateView& state,
                  const std::shared_ptr<RouterMetrics>& metrics, runtime::Effects& fx) {
  const std::string key = std::string(kPersonPrefix) + carried.identity_key();
  v1::IdentityRecord rec;
  auto raw = state.get(key);
  const bool have = raw && rec.ParseFromString(*raw);
  fx.put(key, adopt_carried(have ? &rec : nullptr, carried.record()).SerializeAsString());
  count_after_commit(fx, metrics, "carried");
}

void carry_person(runtime::Effects& fx, const RouterSettings& s, std::string_view key,
                  std::string_view value, runtime::TimePoint now) {
  v1::PersonCarried carried;
  carried.set_identity_key(std::string(key.substr(kPersonPrefix.size())));
  fx.del(std::string(key));
  // A record that does not parse goes too, without its value: the desk
  // dead-letters it (never dropped in silence).
  if (!carried.mutable_record()->ParseFromArray(value.data(), static_cast<int>(value.size())))
    carried.clear_record();
  // Named by its content: a record written again here (by an older replica
  // during the roll) and carried again is not taken for a duplicate.
  const std::string id =
      runtime::derive_event_id(carried.identity_key() + "/" + carried.record().canonical_lead_id() +
                                   "/" + std::to_string(carried.record().last_seen_ms()),
                               "carry");
  emit_to_identity_desk(fx, s, carried, id, now);
}

}  // namespace baton::router
