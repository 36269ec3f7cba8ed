#include "chaos_driver.h"

#include <cstdio>

#include "baton/v1/lifecycle.pb.h"
#include "baton/v1/outcome.pb.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/routing.pb.h"
#include "baton/v1/sla.pb.h"
#include "builders.h"

namespace baton::test {

namespace {
// One lead in kSlots is of each special class; the rest are normal.
constexpr int kSlots = 25;

std::string sla_kind(const v1::SlaEvent& ev, std::string* owner) {
  switch (ev.kind_case()) {
    case v1::SlaEvent::kStarted:
      *owner = ev.started().owner_rep_id();
      return "started";
    case v1::SlaEvent::kWarning:
      *owner = ev.warning().owner_rep_id();
      return "warning";
    case v1::SlaEvent::kBreached:
      *owner = ev.breached().owner_rep_id();
      return ev.breached().on_reassignment() ? "breached_on_reassignment" : "breached";
    case v1::SlaEvent::kEscalated:
      *owner = ev.escalated().owner_rep_id();
      return "escalated";
    case v1::SlaEvent::kMet:
      *owner = ev.met().owner_rep_id();
      return "met";
    case v1::SlaEvent::kRecycleRejected:
      *owner = ev.recycle_rejected().owner_rep_id();
      return "recycle_rejected";
    case v1::SlaEvent::kReassignmentRequested:
      *owner = ev.reassignment_requested().owner_rep_id();
      return "reassign";
    default:
      return "unknown";
  }
}

// The envelope of any of the oneof's messages (each has `envelope` as field 1).
template <typename M>
std::string event_id_of(const M& m) {
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  const auto* oneof = d->oneof_decl(0);
  const auto* f = r->GetOneofFieldDescriptor(m, oneof);
  if (!f) return {};
  const auto& inner = r->GetMessage(m, f);
  const auto* ef = inner.GetDescriptor()->FindFieldByName("envelope");
  if (!ef) return {};
  const auto& env = static_cast<const v1::Envelope&>(inner.GetReflection()->GetMessage(inner, ef));
  return env.event_id();
}
}  // namespace

const char* class_name(LeadClass c) {
  switch (c) {
    case LeadClass::kNormal:
      return "normal";
    case LeadClass::kBreach:
      return "breach";
    case LeadClass::kMerge:
      return "merge";
    case LeadClass::kRecycle:
      return "recycle";
    case LeadClass::kReturning:
      return "returning";
    case LeadClass::kErasure:
      return "erasure";
    case LeadClass::kMergedAway:
      return "merged-away";
  }
  return "?";
}

LeadClass class_of(int index) {
  switch (index % kSlots) {
    case 1:
      return LeadClass::kBreach;
    case 2:
      return LeadClass::kMerge;
    case 3:
      return LeadClass::kRecycle;
    case 4:
      return LeadClass::kReturning;
    case 5:
      return LeadClass::kErasure;
    default:
      return LeadClass::kNormal;
  }
}

std::string ChaosDriver::lead_id(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "C%06d", i);
  return buf;
}

std::string ChaosDriver::merged_id(const std::string& survivor) { return "M" + survivor.substr(1); }

std::string ChaosDriver::chaos_sla_config(const std::string& dir) {
  auto text = read_file(System::example_config("sla-monitor"));
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"first_touch: 5m", "first_touch: 6h"},
           {"escalate_after: 10m", "escalate_after: 12h"},
           {"reassign_after: 20m", "reassign_after: 24h"},
           // The standard tier: only breach-class leads are routed there.
           {"first_touch: 15m\n      clock: business_hours",
            "first_touch: 4s\n      warning_fraction: 0.5\n      escalate_after: 8s\n"
            "      reassign_after: 15s\n      clock: 24x7"}}) {
    auto at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("sla example config lacks " + from);
    text.replace(at, from.size(), to);
  }
  auto path = dir + "/sla-chaos.yaml";
  write_file(path, text);
  return path;
}

void ChaosDriver::send_roster() {
  for (int i = 0; i < 6; ++i) {
    v1::Rep r = always_on_rep("rep-dach-" + std::to_string(i), "dach");
    sys_.send("baton.roster.reps", r.id(), r);
  }
}

void ChaosDriver::capture_until(int upto) {
  for (; captured_ < upto && captured_ < leads_; ++captured_) {
    auto id = lead_id(captured_);
    auto& p = p_[id];
    p.cls = class_of(captured_);
    // A standard-tier lead (sales-ready without a demo request) for the breach
    // class; high intent for every other class.
    capture(id, id + "@chaos-corp.example",
            p.cls == LeadClass::kBreach ? "pricing_page_view" : "demo_request", "cap-" + id);
    p.sent.insert("cap-" + id);
  }
  sys_.flush();
}

void ChaosDriver::scan(const std::string& topic, size_t& cursor,
                       const std::function<void(const runtime::Record&)>& fn) {
  const auto& recs = sys_.read(topic, std::chrono::milliseconds(200));
  for (; cursor < recs.size(); ++cursor) fn(recs[cursor]);
}

int ChaosDriver::step() {
  scan("baton.routing.events", cursors_["routing"], [&](const runtime::Record& r) {
    v1::RoutingEvent ev;
    if (!ev.ParseFromString(r.value)) return;
    auto& p = p_[r.key];
    p.outputs.insert("routing/" + event_id_of(ev));
    if (ev.has_merged()) {
      p.merged.push_back(ev.merged().merged_lead_id());
      on_merged(r.key, p);
    }
    if (!ev.has_assignment()) return;
    SeenAssignment a{ev.assignment().envelope().event_id(), ev.assignment().owner_rep_id(),
                     ev.assignment().cycle(), ev.assignment().reassignment_count()};
    p.assignments.push_back(a);
    on_assignment(r.key, p, a);
  });
  scan("baton.sla.events", cursors_["sla"], [&](const runtime::Record& r) {
    v1::SlaEvent ev;
    if (!ev.ParseFromString(r.value)) return;
    auto& p = p_[r.key];
    p.outputs.insert("sla/" + event_id_of(ev));
    SeenSla s;
    s.kind = sla_kind(ev, &s.owner);
    p.sla.push_back(s);
    on_sla(r.key, p, s);
  });
  scan("baton.lifecycle.events", cursors_["lifecycle"], [&](const runtime::Record& r) {
    v1::LifecycleEvent ev;
    if (!ev.ParseFromString(r.value)) return;
    auto& p = p_[r.key];
    p.outputs.insert("lifecycle/" + event_id_of(ev));
    SeenLife l;
    if (ev.has_rejected()) {
      l.rejected = true;
      l.to = ev.rejected().to();
      l.rule = ev.rejected().rule();
      l.cause = ev.rejected().envelope().causation_id();
      p.life.push_back(l);
      on_rejected(r.key, p, l);
      return;
    }
    l.to = ev.transitioned().to();
    l.cause = ev.transitioned().envelope().causation_id();
    p.life.push_back(l);
    on_transition(r.key, p, l.to);
  });
  scan("baton.outcomes", cursors_["outcomes"], [&](const runtime::Record& r) {
    v1::Outcome o;
    if (!o.ParseFromString(r.value)) return;
    auto& p = p_[r.key];
    p.outputs.insert("outcome/" + o.envelope().event_id());
    SeenOutcome s{o.stage(), {o.merged_lead_ids().begin(), o.merged_lead_ids().end()}};
    p.outcomes.push_back(s);
    on_outcome(r.key, p, o.stage());
  });
  raise_again();
  give_up_stalled();
  sys_.flush();
  return done_;
}

std::vector<std::string> ChaosDriver::undone(int max, int* count) const {
  std::vector<std::string> out;
  *count = 0;
  for (const auto& [id, p] : p_) {
    if (p.done || p.cls == LeadClass::kMergedAway) continue;
    if (++*count <= max) out.push_back(describe(id));
  }
  return out;
}

void ChaosDriver::finish(LeadProgress& p) {
  if (p.done) return;
  p.done = true;
  ++done_;
}

ChaosDriver::Verdict ChaosDriver::verdict() const {
  Verdict v;
  for (int i = 0; i < leads_; ++i) {
    auto id = lead_id(i);
    auto cls = class_of(i);
    auto& cv = v.by_class[cls];
    ++cv.leads;
    auto it = p_.find(id);
    if (it == p_.end()) {
      ++v.lost, ++cv.lost;
      v.examples.push_back(id + " never seen");
      continue;
    }
    auto probs = check(id, it->second);
    if (cls == LeadClass::kMerge) {
      // The merged-away id is part of its survivor's story.
      auto m = p_.find(merged_id(id));
      LeadProgress none;
      none.cls = LeadClass::kMergedAway;
      auto more = check(merged_id(id), m == p_.end() ? none : m->second);
      probs.lost.insert(probs.lost.end(), more.lost.begin(), more.lost.end());
      probs.duplicated.insert(probs.duplicated.end(), more.duplicated.begin(),
                              more.duplicated.end());
    }
    if (!probs.lost.empty()) ++v.lost, ++cv.lost, v.lost_ids.push_back(id);
    if (!probs.duplicated.empty()) ++v.duplicated, ++cv.duplicated;
    // A few failed stories per class, in full.
    if ((probs.lost.empty() && probs.duplicated.empty()) || ++cv.shown > 3) continue;
    const std::string tag = id + " [" + class_name(cls) + "] ";
    for (const auto* list : {&probs.lost, &probs.duplicated})
      for (const auto& what : *list) v.examples.push_back(tag + what);
    v.examples.push_back("  " + describe(id));
  }
  return v;
}

}  // namespace baton::test
