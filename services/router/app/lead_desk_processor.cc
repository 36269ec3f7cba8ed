// LeadDesk: captured leads, signals, reassignments, lifecycle transitions and
// PoolDesk's placements (keyed by lead). A capture's identity check goes to
// the identity desk (identity_desk.h). The older identity topic is still
// read for an earlier build's checks and erasures, which go on to the desk
// with the person records an earlier build kept here. It does not read
// baton.routing.events: what PoolDesk decided arrives as a LeadDeskInput
// `placed` (issue 18 point 2).

#include <cstdio>
#include <set>

#include "baton/runtime/events.h"
#include "baton/runtime/global_cache.h"
#include "baton/runtime/step_arena.h"
#include "domain/lead_desk.h"
#include "domain/lead_lifecycle.h"
#include "domain/nurture.h"
#include "domain/signal_score.h"
#include "erasure.h"
#include "identity_desk.h"
#include "placement.h"
#include "processors.h"

namespace baton::router {
namespace {

using runtime::Effects;
using runtime::ProcessResult;
using runtime::Record;
using runtime::Rejection;
using runtime::StateView;
using runtime::TimePoint;

std::string input_id(const Record& in, const v1::Envelope& env) {
  return runtime::input_event_id(in, env.event_id());
}

template <typename M>
bool parse(const Record& in, M& msg) {
  return runtime::decode(in.value, msg);
}

class LeadDeskProcessor : public runtime::Processor {
 public:
  LeadDeskProcessor(std::shared_ptr<const RouterSettings> s, std::shared_ptr<RouterMetrics> m)
      : s_(std::move(s)), m_(std::move(m)) {}

  std::string name() const override { return kLeadDeskName; }
  std::vector<std::string> input_topics() const override {
    const auto& t = s_->topics;
    return {t.captured, t.signals, t.reassign, t.lifecycle, t.erasure, t.identity, t.leads};
  }
  std::vector<std::string> internal_topics() const override {
    return {s_->topics.identity, s_->topics.leads, s_->topics.pool_requests};
  }
  std::vector<std::string> global_topics() const override { return {s_->topics.accounts}; }
  // The runtime admits the public topics by these contracts (hostile sizes,
  // timestamps, enums, JSON, ce_type) before any decision; the router
  // dead-letters them. Internal topics carry what this desk already checked.
  runtime::InputContract input_contract(std::string_view topic) const override {
    const auto& t = s_->topics;
    if (topic == t.captured) return {v1::LeadCaptured::descriptor(), true};
    if (topic == t.signals) return {v1::EngagementSignal::descriptor(), true};
    if (topic == t.reassign) return {v1::ReassignmentRequest::descriptor(), true};
    if (topic == t.lifecycle) return {v1::LifecycleEvent::descriptor(), true};
    if (topic == t.erasure) return {v1::ErasureRequest::descriptor(), true};
    return {};
  }

  ProcessResult on_timer(const runtime::Timer&, const StateView&, TimePoint) override {
    return Effects{};
  }

  // An earlier build's person records go to the identity desk, a batch at
  // each timer tick until none is left: right after the restore, whatever
  // traffic the partition has.
  std::optional<Effects> on_tick(int32_t partition, const StateView& state,
                                 TimePoint now) override {
    if (!legacy_persons_.count(partition)) return std::nullopt;
    Effects fx;
    int n = 0;
    state.scan(kPersonPrefix, [&](std::string_view key, std::string_view value) {
      carry_person(fx, *s_, key, value, now);
      return ++n < kCarryBatch;
    });
    // None left once this step commits (an abort brings them back).
    if (n == 0) fx.after_commit([this, partition] { legacy_persons_.erase(partition); });
    return fx;
  }

  // Does this partition still keep person records of an earlier build?
  void on_assigned(int32_t partition, const StateView& state) override {
    bool any = false;
    state.scan(kPersonPrefix, [&](std::string_view, std::string_view) {
      any = true;
      return false;
    });
    if (any)
      legacy_persons_.insert(partition);
    else
      legacy_persons_.erase(partition);
  }
  void on_revoked(int32_t partition) noexcept override { legacy_persons_.erase(partition); }

  ProcessResult on_record(const Record& in, const StateView& state, TimePoint now) override {
    const auto& t = s_->topics;
    LeadContext ctx{s_->routing, accounts(state), now};
    if (in.topic == t.erasure) return erase_lead_keys(in, state, *s_, now);
    if (in.topic == t.captured) {
      // Parsed into the identity check that carries it on: no copy.
      v1::IdentityCheck check;
      if (!parse(in, *check.mutable_lead()))
        return Rejection{"decode", "not a baton.v1.LeadCaptured"};
      if (auto bad = invalid_lead(check.lead(), s_->routing, now))
        return Rejection{bad->first, bad->second};
      return captured(in, state, check, ctx);
    }
    if (in.topic == t.identity) {
      // An earlier build's check (or erasure), in flight at an upgrade: on
      // to the identity desk, after the person record this store kept.
      if (in.is_type(kIdentityErasureType)) return erase_identity(in, *s_, now);
      v1::IdentityCheck check;
      if (!parse(in, check)) return Rejection{"decode", "not a baton.v1.IdentityCheck"};
      if (check.identity_key().empty()) check.set_identity_key(in.key);
      Effects fx;
      fx.dedup_id = input_id(in, check.lead().envelope());
      const std::string person = std::string(kPersonPrefix) + check.identity_key();
      if (auto raw = state.get(person)) carry_person(fx, *s_, person, *raw, now);
      send_check(fx, check, fx.dedup_id, now);
      return fx;
    }
    if (in.topic == t.leads) {
      v1::LeadDeskInput& msg = arena_.fresh<v1::LeadDeskInput>();
      if (!parse(in, msg)) return Rejection{"decode", "not a baton.v1.LeadDeskInput"};
      if (msg.has_intake()) {
        const auto& env = msg.intake().lead().envelope();
        return apply(
            in, state, input_id(in, env), env.lead_id(),
            [&](const v1::LeadState* s) { return decide_lead(msg.intake(), s, ctx); }, now);
      }
      if (msg.has_alias()) {
        return apply(
            in, state, input_id(in, v1::Envelope{}), msg.alias().lead_id(),
            [&](const v1::LeadState* s) { return on_alias(msg.alias(), s, now); }, now);
      }
      if (msg.has_confirmed()) {
        const std::string& lead =
            msg.confirmed().lead_id().empty() ? in.key : msg.confirmed().lead_id();
        std::string id = runtime::input_event_id(in, "");
        return apply(
            in, state, id, lead,
            [&](const v1::LeadState* s) { return on_identity_confirmed(s, id, ctx); }, now);
      }
      if (msg.has_signal()) return signal(in, state, msg.signal(), ctx);
      if (msg.has_placed()) return placed(in, state, msg.placed(), ctx);
      return Rejection{"invalid", "empty LeadDeskInput"};
    }
    if (in.topic == t.signals) {
      v1::EngagementSignal sig;
      if (!parse(in, sig)) return Rejection{"decode", "not a baton.v1.EngagementSignal"};
      return signal(in, state, sig, ctx);
    }
    if (in.topic == t.reassign) {
      v1::ReassignmentRequest req;
      if (!parse(in, req)) return Rejection{"decode", "not a baton.v1.ReassignmentRequest"};
      std::string lead = req.envelope().lead_id().empty() ? in.key : req.envelope().lead_id();
      if (lead.empty()) return Rejection{"invalid", "reassignment without lead id"};
      return apply(
          in, state, input_id(in, req.envelope()), lead,
          [&](const v1::LeadState* s) { return on_reassign(req, s, ctx); }, now);
    }
    if (in.topic == t.lifecycle) {
      v1::LifecycleEvent ev;
      if (!parse(in, ev)) return Rejection{"decode", "not a baton.v1.LifecycleEvent"};
      if (!ev.has_transitioned()) return Effects{};  // refused transitions change nothing
      const auto& tr = ev.transitioned();
      std::string lead = tr.envelope().lead_id().empty() ? in.key : tr.envelope().lead_id();
      return apply(
          in, state, input_id(in, tr.envelope()), lead,
          [&](const v1::LeadState* s) { return on_stage_transition(tr, s, ctx); }, now);
    }
    return Rejection{"invalid", "unexpected topic " + in.topic};
  }

 private:
  static constexpr int kCarryBatch = 500;

  // A capture. A lead that is not an alias is decided here at once, as its
  // own canonical lead; the identity check carries the outputs to the
  // identity desk, which sends them on unless the person merges into another
  // lead, and decides a request for a pool on its own desk at once: capture
  // -> desk -> assignment. Without an identity there is nothing to check.
  // `check` holds the capture (check.lead()).
  ProcessResult captured(const Record& in, const StateView& state, v1::IdentityCheck& check,
                         const LeadContext& ctx) {
    const v1::LeadCaptured& lead = check.lead();
    std::string id = input_id(in, lead.envelope());
    const std::string lead_id = lead.envelope().lead_id();
    std::string key = identity_key(lead, s_->routing.identity);
    if (key.empty()) {
      return apply(
          in, state, id, lead_id,
          [&](const v1::LeadState* s) {
            v1::LeadIntake intake;
            *intake.mutable_lead() = std::move(*check.mutable_lead());
            intake.set_original_lead_id(lead_id);
            return decide_lead(intake, s, ctx);
          },
          ctx.now);
    }
    check.set_identity_key(identity_hash(key));
    Effects fx;
    fx.dedup_id = id;
    v1::LeadState current;
    auto raw = state.get("lead/" + lead_id);
    const bool have = raw && current.ParseFromString(*raw);
    if (!have || current.canonical_lead_id().empty()) {
      LeadDecision d = decide_captured(lead, have ? &current : nullptr, ctx);
      if (!d.state) return fx;  // this capture was applied already
      put_state(fx, lead_id, d);
      stamp(d, id);
      check.set_decided(true);
      for (auto& e : d.events) {
        remember_nurture(fx, e.event);
        *check.add_routing() = std::move(e.event);
      }
      for (auto& p : d.pool_requests) *check.add_pool_requests() = std::move(p.request);
    }
    // To the one task that keeps the person-keyed view (identity_desk.h).
    send_check(fx, check, id, ctx.now);
    return fx;
  }

  // An identity check to the desk, its id derived from the input that sent
  // it: a capture, or an earlier build's check read from the identity topic.
  void send_check(Effects& fx, const v1::IdentityCheck& check, const std::string& input_id,
                  TimePoint now) const {
    emit_to_identity_desk(fx, *s_, check, runtime::derive_event_id(input_id, "identity"), now);
  }

  // PoolDesk's Assignment or LeadHeld for this lead: its owner, or that it waits.
  ProcessResult placed(const Record& in, const StateView& state, const v1::RoutingEvent& ev,
                       const LeadContext& ctx) {
    if (!ev.has_assignment() && !ev.has_held())
      return Rejection{"invalid", "placement without an assignment or hold"};
    const v1::Envelope& env =
        ev.has_assignment() ? ev.assignment().envelope() : ev.held().envelope();
    std::string lead = env.lead_id().empty() ? in.key : env.lead_id();
    auto r = apply(
        in, state, input_id(in, env), lead,
        [&](v1::LeadState* s) {
          return on_routing_event(ev, s ? std::optional(std::move(*s)) : std::nullopt, ctx);
        },
        ctx.now);
    if (!r) return r;
    // PoolDesk places a lead once per decision, on this exactly-once hop: a
    // placement is read again only after an abort, which dropped the state
    // it wrote too, so it needs no de-duplication record (two fewer writes).
    r->dedup_id.clear();
    // Kept as it came (placement.h): the bytes the desk serialized once.
    if (auto bytes = placed_event(in.value))
      r->put("routing/" + lead, std::string(*bytes));
    else
      put_last_routing(*r, lead, ev);
    return r;
  }

  // "routing/<lead>": the lead's last assignment, hold or nurture decision,
  // in binary; the query API renders it as JSON when asked (routing_json),
  // not on every decision.
  static void put_last_routing(Effects& fx, const std::string& lead, const v1::RoutingEvent& ev) {
    fx.put("routing/" + lead, ev.SerializeAsString());
  }

  // A nurture decision is the lead's last routing (routing/<lead>) too.
  static void remember_nurture(Effects& fx, const v1::RoutingEvent& ev) {
    if (ev.has_nurture() && !ev.nurture().envelope().lead_id().empty())
      put_last_routing(fx, ev.nurture().envelope().lead_id(), ev);
  }

  ProcessResult signal(const Record& in, const StateView& state, const v1::EngagementSignal& sig,
                       const LeadContext& ctx) {
    std::string lead = sig.envelope().lead_id().empty() ? in.key : sig.envelope().lead_id();
    return apply(
        in, state, input_id(in, sig.envelope()), lead,
        [&](const v1::LeadState* s) { return on_scored_signal(sig, s, ctx); }, ctx.now);
  }

  template <typename F>
  ProcessResult apply(const Record&, const StateView& state, const std::string& id,
                      const std::string& lead_id, F&& decide, TimePoint now) {
    if (lead_id.empty()) return Rejection{"invalid", "no lead id"};
    std::string key = "lead/" + lead_id;
    v1::LeadState current;
    auto raw = state.get(key);
    bool have = raw && current.ParseFromString(*raw);
    // `decide` gets this parsed copy, and may take it (move from it).
    LeadDecision d = decide(have ? &current : nullptr);
    if (d.reject) return Rejection{d.reject->first, d.reject->second};
    Effects fx;
    fx.dedup_id = id;
    if (d.state) put_state(fx, lead_id, d);
    stamp(d, id);
    emit(fx, d, id, now);
    return fx;
  }

  void put_state(Effects& fx, const std::string& lead_id, LeadDecision& d) {
    stamp_owner_queue(*d.state, s_->routing);  // who owns it while no rep does
    stamp_owner_queue(*d.state, d);            // ... told on its routing events
    fx.put("lead/" + lead_id, d.state->SerializeAsString());
  }

  // The ids of a decision's routing events and pool requests derive from
  // the input's id and their purpose.
  static void stamp(LeadDecision& d, const std::string& id) {
    for (auto& e : d.events)
      if (v1::Envelope* env = envelope_of(e.event))
        env->set_event_id(runtime::derive_event_id(id, e.purpose));
    for (auto& p : d.pool_requests)
      p.request.mutable_envelope()->set_event_id(runtime::derive_event_id(id, p.purpose));
  }

  // Keyed by desk: one task decides every pool on it (per-rep caps).
  void emit_request(Effects& fx, v1::PoolRequest& r, TimePoint now) {
    std::string eid = r.envelope().event_id();
    fx.emit(runtime::make_output(s_->topics.pool_requests, desk_of(s_->routing, r.pool()), r, eid,
                                 now));
  }

  void emit(Effects& fx, LeadDecision& d, const std::string& id, TimePoint now) {
    for (auto& e : d.events) {
      remember_nurture(fx, e.event);
      emit_routing(fx, *s_, e.event, now);
    }
    for (auto& p : d.pool_requests) emit_request(fx, p.request, now);
    emit_internal(fx, *s_, d.internal, id, now);
  }

  // The account match: one find in the index of the accounts table, which
  // is rebuilt (lazily, at the first lookup) only when the table changed.
  AccountLookup accounts(const StateView& state) {
    return [this, &state](const std::string& domain) -> std::optional<v1::Account> {
      if (const v1::Account* a = account_index(state).find(domain)) return *a;
      return std::nullopt;
    };
  }

  const AccountIndex& account_index(const StateView& state) {
    return accounts_.get(state, s_->topics.accounts, [&] {
      AccountIndex index;
      state.scan_global(s_->topics.accounts, [&](std::string_view, std::string_view value) {
        v1::Account acc;
        if (acc.ParseFromArray(value.data(), static_cast<int>(value.size())))
          index.add(std::move(acc));
        return true;
      });
      m_->global_rebuilt("accounts");
      return index;
    });
  }

  std::shared_ptr<const RouterSettings> s_;
  std::shared_ptr<RouterMetrics> m_;
  // Single-threaded engine loop; shared by every task (global tables are).
  runtime::GlobalCache<AccountIndex> accounts_;
  // Partitions whose store still keeps an earlier build's person records.
  std::set<int32_t> legacy_persons_;
  // The internal input of the step (a placement, an intake, ...).
  runtime::StepArena arena_;
};

}  // namespace

std::string identity_hash(const std::string& key) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "p%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::unique_ptr<runtime::Processor> make_lead_desk(std::shared_ptr<const RouterSettings> settings,
                                                   std::shared_ptr<RouterMetrics> metrics) {
  return std::make_unique<LeadDeskProcessor>(std::move(settings), std::move(metrics));
}

}  // namespace baton::router
