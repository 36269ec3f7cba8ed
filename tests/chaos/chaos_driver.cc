#include "chaos_driver.h"

#include <cstdio>

#include "baton/runtime/events.h"
#include "baton/v1/activity.pb.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/lifecycle.pb.h"
#include "baton/v1/outcome.pb.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/routing.pb.h"
#include "baton/v1/sla.pb.h"
#include "builders.h"

namespace baton::test {

namespace {
v1::Envelope envelope(const std::string& id, const std::string& lead) {
  v1::Envelope e;
  e.set_event_id(id);
  e.set_lead_id(lead);
  e.set_source_system("chaos-driver");
  *e.mutable_event_time() = runtime::to_timestamp(runtime::Clock::now());
  return e;
}
}  // namespace

std::string ChaosDriver::lead_id(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "C%06d", i);
  return buf;
}

std::string ChaosDriver::long_sla_config(const std::string& dir) {
  auto text = read_file(System::example_config("sla-monitor"));
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"first_touch: 5m", "first_touch: 6h"},
           {"escalate_after: 10m", "escalate_after: 12h"},
           {"reassign_after: 20m", "reassign_after: 24h"},
           {"first_touch: 15m", "first_touch: 6h"}}) {
    auto at = text.find(from);
    if (at != std::string::npos) text.replace(at, from.size(), to);
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
    v1::LeadCaptured l;
    *l.mutable_envelope() = envelope("cap-" + id, id);
    l.mutable_person()->set_email(id + "@chaos-corp.example");
    l.mutable_person()->set_seniority("vp");
    l.mutable_company()->set_industry("software");
    l.mutable_company()->set_employee_band("201-1000");
    l.mutable_company()->set_country("de");
    l.set_source("chaos");
    l.set_campaign("chaos-" + std::to_string(captured_ % 5));
    l.set_trigger_signal("demo_request");
    sys_.send_async("baton.leads.captured", id, l, "cap-" + id);
    p_[id];
  }
  sys_.flush();
}

void ChaosDriver::scan(const std::string& topic, size_t& cursor,
                       const std::function<void(const runtime::Record&)>& fn) {
  const auto& recs = sys_.read(topic, std::chrono::milliseconds(200));
  for (; cursor < recs.size(); ++cursor) fn(recs[cursor]);
}

int ChaosDriver::step() {
  std::vector<std::pair<std::string, v1::SalesActivity>> touches;
  std::vector<std::pair<std::string, v1::StageChange>> stages;
  scan("baton.routing.events", cursors_["routing"], [&](const runtime::Record& r) {
    v1::RoutingEvent ev;
    if (!ev.ParseFromString(r.value) || !ev.has_assignment()) return;
    auto& p = p_[r.key];
    p.assignments++;
    p.owner = ev.assignment().owner_rep_id();
    if (!p.touched) {
      p.touched = true;
      v1::SalesActivity a;
      *a.mutable_envelope() = envelope("touch-" + r.key, r.key);
      a.set_rep_id(p.owner);
      a.set_type(v1::ACTIVITY_CALL);
      touches.emplace_back(r.key, a);
    }
  });
  scan("baton.sla.events", cursors_["sla"], [&](const runtime::Record& r) {
    v1::SlaEvent ev;
    if (!ev.ParseFromString(r.value)) return;
    auto& p = p_[r.key];
    if (ev.has_started())
      p.clocks++;
    else if (ev.has_met())
      p.met++;
    else
      p.sla_other++;
  });
  scan("baton.lifecycle.events", cursors_["lifecycle"], [&](const runtime::Record& r) {
    v1::LifecycleEvent ev;
    if (!ev.ParseFromString(r.value)) return;
    auto& p = p_[r.key];
    if (ev.has_rejected()) {
      p.rejected++;
      return;
    }
    p.transitions[ev.transitioned().to()]++;
    if (ev.transitioned().to() == v1::STAGE_CONTACTED && !p.qualified_sent) {
      p.qualified_sent = true;
      v1::StageChange s;
      *s.mutable_envelope() = envelope("qualify-" + r.key, r.key);
      s.set_stage(v1::STAGE_QUALIFIED);
      s.set_owner_rep_id(p.owner);
      stages.emplace_back(r.key, s);
    }
  });
  scan("baton.outcomes", cursors_["outcomes"], [&](const runtime::Record& r) {
    v1::Outcome o;
    if (!o.ParseFromString(r.value)) return;
    auto& p = p_[r.key];
    if (o.stage() == v1::STAGE_QUALIFIED && ++p.outcomes == 1) ++done_;
  });
  for (auto& [k, a] : touches)
    sys_.send_async("baton.sales.activities", k, a, a.envelope().event_id());
  for (auto& [k, s] : stages)
    sys_.send_async("baton.crm.stage-changes", k, s, s.envelope().event_id());
  sys_.flush();
  return done_;
}

ChaosDriver::Verdict ChaosDriver::verdict() const {
  Verdict v;
  auto note = [&](const std::string& id, const std::string& what) {
    if (v.examples.size() < 10) v.examples.push_back(id + ": " + what);
  };
  for (int i = 0; i < leads_; ++i) {
    auto id = lead_id(i);
    auto it = p_.find(id);
    if (it == p_.end()) {
      ++v.lost;
      note(id, "never seen");
      continue;
    }
    const auto& p = it->second;
    bool lost = p.assignments == 0 || p.clocks == 0 || p.met == 0 || p.outcomes == 0 ||
                !p.transitions.count(v1::STAGE_QUALIFIED);
    bool dup = p.assignments > 1 || p.clocks > 1 || p.met > 1 || p.outcomes > 1 || p.sla_other > 0;
    for (const auto& [stage, n] : p.transitions) dup = dup || n > 1;
    if (lost) {
      ++v.lost;
      note(id, "missing: assignments=" + std::to_string(p.assignments) +
                   " clocks=" + std::to_string(p.clocks) + " met=" + std::to_string(p.met) +
                   " outcomes=" + std::to_string(p.outcomes));
    }
    if (dup) {
      ++v.duplicated;
      note(id, "twice: assignments=" + std::to_string(p.assignments) +
                   " clocks=" + std::to_string(p.clocks) + " met=" + std::to_string(p.met) +
                   " outcomes=" + std::to_string(p.outcomes) +
                   " other_sla=" + std::to_string(p.sla_other));
    }
    if (p.rejected > 0) note(id, "transition rejected " + std::to_string(p.rejected));
  }
  return v;
}

}  // namespace baton::test
