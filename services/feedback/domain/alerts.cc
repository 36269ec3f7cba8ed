#include "alerts.h"

#include <cmath>

#include "baton/v1/contract.h"

namespace baton::feedback {
namespace {

constexpr size_t kMaxSummary = 280;

// One line: control characters become spaces, long text is cut.
std::string one_line(std::string s) {
  for (auto& c : s)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  if (s.size() > kMaxSummary) {
    s.resize(kMaxSummary - 3);
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty() && static_cast<unsigned char>(s.back()) >= 0xC0) s.pop_back();
    s += "...";
  }
  return s;
}

v1::RepAlert base(const v1::Envelope& env, v1::AlertKind kind, const std::string& rep,
                  v1::Tier tier, TimePoint now) {
  v1::RepAlert a;
  a.set_rep_id(rep);
  a.set_kind(kind);
  a.set_lead_id(env.lead_id());
  a.set_tier(tier);
  *a.mutable_at() = env.has_event_time() ? env.event_time() : to_ts(now);
  a.set_source_event_id(env.event_id());
  a.set_correlation_id(env.correlation_id());
  return a;
}

}  // namespace

std::vector<v1::RepAlert> rep_alerts(const v1::RoutingEvent& in, TimePoint now) {
  std::vector<v1::RepAlert> out;
  if (!in.has_assignment()) return out;
  const auto& as = in.assignment();
  const auto& env = as.envelope();
  const auto& h = as.handoff();
  const std::string& owner = as.owner_rep_id();
  const std::string& previous = as.previous_owner_rep_id();
  if (!owner.empty()) {
    auto a = base(env, v1::ALERT_KIND_ASSIGNED, owner, as.tier(), now);
    if (as.has_assigned_at()) *a.mutable_at() = as.assigned_at();
    std::string line = "New lead " + env.lead_id();
    if (!h.company_name().empty()) line += " (" + h.company_name() + ")";
    line += h.why().empty() ? ": " + v1::tier_label(as.tier()) + " tier, pool " + h.pool()
                            : ": " + h.why();
    a.set_summary(one_line(std::move(line)));
    a.set_other_rep_id(previous);
    a.set_pool(h.pool());
    a.set_company_name(h.company_name());
    out.push_back(std::move(a));
  }
  if (!previous.empty() && previous != owner) {
    auto a = base(env, v1::ALERT_KIND_REASSIGNED_AWAY, previous, as.tier(), now);
    if (as.has_assigned_at()) *a.mutable_at() = as.assigned_at();
    a.set_summary(one_line("Lead " + env.lead_id() + " was reassigned to " +
                           (owner.empty() ? std::string("another rep") : owner)));
    a.set_other_rep_id(owner);
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<v1::RepAlert> rep_alerts(const v1::SlaEvent& in, TimePoint now) {
  std::vector<v1::RepAlert> out;
  if (!in.has_warning() || in.warning().owner_rep_id().empty()) return out;
  const auto& w = in.warning();
  auto a = base(w.envelope(), v1::ALERT_KIND_SLA_WARNING, w.owner_rep_id(), w.tier(), now);
  if (w.has_deadline()) *a.mutable_due_at() = w.deadline();
  const double left = std::isfinite(w.remaining_seconds()) ? w.remaining_seconds() : 0;
  const long minutes = left > 0 ? static_cast<long>(std::ceil(left / 60.0)) : 0;
  a.set_summary(one_line("First touch due in " + std::to_string(minutes) + " min for lead " +
                         w.envelope().lead_id() + " (" + v1::tier_label(w.tier()) + " tier)"));
  out.push_back(std::move(a));
  return out;
}

std::string alert_purpose(const v1::RepAlert& alert) {
  return "alert/" + v1::alert_kind_label(alert.kind()) + "/" + alert.rep_id();
}

}  // namespace baton::feedback
