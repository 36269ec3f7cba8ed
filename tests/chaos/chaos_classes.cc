// The driver's reactions, per lead class: what upstream, the reps and the CRM
// send when a committed output shows the lead reached a step of its story.
// Every input has a deterministic event id and is sent at most once.
#include "baton/runtime/events.h"
#include "baton/v1/activity.pb.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/lifecycle.pb.h"
#include "chaos_driver.h"

namespace baton::test {

namespace {
constexpr int kMaxProbes = 200;
constexpr int kMaxRaises = 10;
constexpr auto kRaiseAgainAfter = std::chrono::seconds(5);
constexpr auto kGiveUpAfter = std::chrono::seconds(120);

v1::Envelope envelope(const std::string& id, const std::string& lead) {
  v1::Envelope e;
  e.set_event_id(id);
  e.set_lead_id(lead);
  e.set_source_system("chaos-driver");
  *e.mutable_event_time() = runtime::to_timestamp(runtime::Clock::now());
  return e;
}

std::string email_of(const std::string& id) { return id + "@chaos-corp.example"; }
}  // namespace

bool ChaosDriver::once(LeadProgress& p, const std::string& id) { return p.sent.insert(id).second; }

void ChaosDriver::capture(const std::string& id, const std::string& email,
                          const std::string& trigger, const std::string& event_id) {
  v1::LeadCaptured l;
  *l.mutable_envelope() = envelope(event_id, id);
  l.mutable_person()->set_email(email);
  l.mutable_person()->set_seniority("vp");
  l.mutable_company()->set_industry("software");
  l.mutable_company()->set_employee_band("201-1000");
  l.mutable_company()->set_country("de");
  l.set_source("chaos");
  l.set_campaign("chaos-" + std::to_string(id.back() % 5));
  l.set_trigger_signal(trigger);
  sys_.send_async("baton.leads.captured", id, l, event_id);
}

void ChaosDriver::touch(const std::string& id, LeadProgress& p, const std::string& rep,
                        const std::string& event_id) {
  if (!once(p, event_id)) return;
  v1::SalesActivity a;
  *a.mutable_envelope() = envelope(event_id, id);
  a.set_rep_id(rep);
  a.set_type(v1::ACTIVITY_CALL);
  sys_.send_async("baton.sales.activities", id, a, event_id);
}

void ChaosDriver::stage(const std::string& id, LeadProgress& p, int to,
                        const std::string& event_id) {
  if (!once(p, event_id)) return;
  v1::StageChange s;
  *s.mutable_envelope() = envelope(event_id, id);
  s.set_stage(static_cast<v1::Stage>(to));
  if (!p.assignments.empty()) s.set_owner_rep_id(p.assignments.back().owner);
  if (to == v1::STAGE_RECYCLED) s.mutable_disposition()->set_reason(v1::DISPOSITION_NO_URGENCY);
  if (to == v1::STAGE_WON) {
    s.set_amount_minor(1200000);
    s.set_currency("EUR");
  }
  sys_.send_async("baton.crm.stage-changes", id, s, event_id);
}

void ChaosDriver::signal(const std::string& id, LeadProgress& p, const std::string& event_id) {
  if (!once(p, event_id)) return;
  v1::EngagementSignal s;
  *s.mutable_envelope() = envelope(event_id, id);
  s.set_type(v1::SIGNAL_DEMO_REQUEST);
  s.set_url("https://chaos-corp.example/demo");
  sys_.send_async("baton.leads.signals", id, s, event_id);
}

void ChaosDriver::erase(const std::string& id, LeadProgress& p) {
  if (!once(p, "erase-" + id)) return;
  p.erasure_sent = true;
  v1::ErasureRequest r;
  *r.mutable_envelope() = envelope("erase-" + id, id);
  r.set_requested_by("chaos-privacy-desk");
  r.set_legal_basis("gdpr-art-17");
  sys_.send_async("baton.privacy.erasure", id, r, "erase-" + id);
}

// A late stage change (the stage the lead is already in). Before the erasure
// feedback refuses it as same_stage; after it, as erased. One in flight.
void ChaosDriver::probe(const std::string& id, LeadProgress& p) {
  if (p.erased_seen || p.probes >= kMaxProbes) return;
  p.probe_in_flight = "probe-" + std::to_string(++p.probes) + "-" + id;
  stage(id, p, v1::STAGE_QUALIFIED, p.probe_in_flight);
}

void ChaosDriver::raise_hand(const std::string& id, LeadProgress& p) {
  if (p.raises >= kMaxRaises) return;
  auto event_id = "raise" + std::to_string(++p.raises) + "-" + id;
  if (p.cls == LeadClass::kReturning && once(p, event_id))
    capture(id, email_of(id), "demo_request", event_id);
  else if (p.cls == LeadClass::kRecycle)
    signal(id, p, event_id);
  p.raised_at = std::chrono::steady_clock::now();
  waiting_.insert(id);
}

// A lead whose every hand-raise went unanswered for kGiveUpAfter is given up
// (done): the oracle reports its missing second cycle as lost, and the run
// ends in minutes instead of at its deadline.
void ChaosDriver::raise_again() {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    auto& p = p_[*it];
    if (p.raises >= kMaxRaises && now - p.raised_at >= kGiveUpAfter) {
      finish(p);
      it = waiting_.erase(it);
      continue;
    }
    if (now - p.raised_at >= kRaiseAgainAfter) raise_hand(*it, p);
    ++it;
  }
}

void ChaosDriver::on_assignment(const std::string& id, LeadProgress& p, const SeenAssignment& a) {
  if (a.cycle >= 2) waiting_.erase(id);
  switch (p.cls) {
    case LeadClass::kBreach:
      // The first owner never touches the lead; every new owner does.
      if (a.reassignment > 0) touch(id, p, a.owner, "touch-" + a.event_id);
      return;
    case LeadClass::kMerge:
      // The same person again under another id, once the survivor has an
      // owner; the owner touches after the merge is published.
      p_[merged_id(id)].cls = LeadClass::kMergedAway;
      if (once(p, "cap-" + merged_id(id)))
        capture(merged_id(id), email_of(id), "demo_request", "cap-" + merged_id(id));
      if (!p.merged.empty()) touch(id, p, a.owner, "touch-" + a.event_id);
      return;
    case LeadClass::kMergedAway:
      return;
    default:
      touch(id, p, a.owner, "touch-" + a.event_id);
  }
}

void ChaosDriver::on_merged(const std::string& id, LeadProgress& p) {
  if (p.cls == LeadClass::kMerge && !p.assignments.empty())
    touch(id, p, p.assignments.back().owner, "touch-" + p.assignments.back().event_id);
}

void ChaosDriver::on_transition(const std::string& id, LeadProgress& p, int to) {
  switch (to) {
    case v1::STAGE_CONTACTED:
      ++p.contacted_seen;
      if (p.cls == LeadClass::kMergedAway) return;
      if (p.cls == LeadClass::kRecycle && p.contacted_seen == 1)
        maybe_recycle(id, p);
      else if (p.contacted_seen == 1)
        stage(id, p, v1::STAGE_QUALIFIED, "qualify-" + id);
      else if (p.cls == LeadClass::kRecycle || p.cls == LeadClass::kReturning)
        stage(id, p, v1::STAGE_QUALIFIED, "qualify2-" + id);
      return;
    case v1::STAGE_QUALIFIED:
      if (p.cls == LeadClass::kReturning && p.contacted_seen == 1)
        stage(id, p, v1::STAGE_OPPORTUNITY, "opportunity-" + id);
      return;
    case v1::STAGE_OPPORTUNITY:
      if (p.cls == LeadClass::kReturning) stage(id, p, v1::STAGE_WON, "won-" + id);
      return;
    case v1::STAGE_WON:
      // Months later the customer asks again: a new capture, a new cycle.
      if (p.cls == LeadClass::kReturning) raise_hand(id, p);
      return;
    case v1::STAGE_RECYCLED:
      // Fresh intent in the new cycle routes the lead again.
      if (p.cls == LeadClass::kRecycle) raise_hand(id, p);
      return;
    default:
      return;
  }
}

// The CRM recycles the lead once the rep's work is on record: Contacted
// (feedback) and the first-touch clock met (sla-monitor). Both services read
// the touch and the stage change from different topics in no guaranteed
// order; a recycle read before the touch closes the clock unmet.
void ChaosDriver::maybe_recycle(const std::string& id, LeadProgress& p) {
  int met = 0;
  for (const auto& s : p.sla) met += s.kind == "met" ? 1 : 0;
  if (p.contacted_seen == 1 && met >= 1) stage(id, p, v1::STAGE_RECYCLED, "recycle-" + id);
}

// The privacy desk erases the lead once its first cycle is on record: the
// QUALIFIED outcome (feedback) and the first-touch clock met (sla-monitor).
// sla-monitor reads the touch and the erasure from different topics in no
// guaranteed order; an erasure read before the touch forgets the clock, and
// the touch then meets nothing (counted as unknown activity).
void ChaosDriver::maybe_erase(const std::string& id, LeadProgress& p) {
  int met = 0;
  for (const auto& s : p.sla) met += s.kind == "met" ? 1 : 0;
  if (p.qualified_seen < 1 || met < 1) return;
  erase(id, p);
  if (p.probes == 0) probe(id, p);
}

void ChaosDriver::on_sla(const std::string& id, LeadProgress& p, const SeenSla& s) {
  if (p.cls == LeadClass::kRecycle && s.kind == "met") maybe_recycle(id, p);
  if (p.cls == LeadClass::kErasure && s.kind == "met") maybe_erase(id, p);
  if (p.cls == LeadClass::kBreach && s.kind == "reassign") {
    p.raised_at = std::chrono::steady_clock::now();
    reassigning_.insert(id);
  }
}

// A reassignment request that yields no new owner within kGiveUpAfter would
// hold the run until its deadline: the lead is given up (done), and the oracle
// reports it lost ("a reassignment request without a new owner").
void ChaosDriver::give_up_stalled() {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = reassigning_.begin(); it != reassigning_.end();) {
    auto& p = p_[*it];
    bool answered = false;
    for (const auto& a : p.assignments) answered = answered || a.reassignment > 0;
    if (answered) {
      it = reassigning_.erase(it);
    } else if (now - p.raised_at >= kGiveUpAfter) {
      finish(p);
      it = reassigning_.erase(it);
    } else {
      ++it;
    }
  }
}

void ChaosDriver::on_rejected(const std::string& id, LeadProgress& p, const SeenLife& l) {
  if (p.cls != LeadClass::kErasure || l.cause != p.probe_in_flight) return;
  if (l.rule == "erased") {
    p.erased_seen = true;
    finish(p);
  } else {
    probe(id, p);
  }
}

void ChaosDriver::on_outcome(const std::string& id, LeadProgress& p, int stage) {
  if (stage != v1::STAGE_QUALIFIED) return;
  ++p.qualified_seen;
  switch (p.cls) {
    case LeadClass::kErasure:
      maybe_erase(id, p);
      return;
    case LeadClass::kReturning:
      if (p.qualified_seen == 2) finish(p);
      return;
    case LeadClass::kMergedAway:
      return;
    default:
      finish(p);
  }
}

}  // namespace baton::test
