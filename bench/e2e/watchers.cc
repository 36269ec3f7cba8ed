#include "watchers.h"

#include <algorithm>

#include "baton/runtime/events.h"
#include "baton/v1/routing.pb.h"
#include "baton/v1/sla.pb.h"

namespace baton::bench {

namespace client = runtime::client;
using namespace std::chrono_literals;

namespace {

constexpr uint8_t kDecided = 1, kAssigned = 2, kNurtured = 4;

int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Steady::now().time_since_epoch())
      .count();
}

double ms_since(runtime::TimePoint t) {
  return std::chrono::duration<double, std::milli>(runtime::Clock::now() - t).count();
}

// Tails a topic until stop: every record goes to fn; a read error ends the
// loop with a message in error.
template <typename F>
void tail(const client::ClientConfig& cc, const std::string& topic, std::atomic<bool>& stop,
          std::string& error, std::atomic<bool>& failed, F&& fn) {
  client::TailOptions o;
  o.topics = {topic};
  auto c = client::TailConsumer::open(cc, o);
  if (!c) {
    error = c.error().message;
    failed = true;
    return;
  }
  while (!stop) {
    auto r = (*c)->poll(100ms);
    if (!r) {
      error = r.error().message;
      failed = true;
      return;
    }
    if (r->has_value()) fn(**r);
  }
}

}  // namespace

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

RoutingWatch::RoutingWatch(client::ClientConfig cc, std::string topic, std::vector<Phase> phases,
                           OnAssignment on_assignment)
    : cc_(std::move(cc)),
      topic_(std::move(topic)),
      phases_(std::move(phases)),
      on_assignment_(std::move(on_assignment)) {
  for (const auto& p : phases_) {
    stats_.push_back(std::make_unique<PhaseStats>());
    flags_.emplace_back(static_cast<size_t>(p.count), 0);
  }
}

void RoutingWatch::stop() noexcept {
  stop_ = true;
  if (th_.joinable()) th_.join();
}

void RoutingWatch::start() {
  th_ = std::thread(
      [this] { tail(cc_, topic_, stop_, error_, failed_, [this](auto& r) { on_record(r); }); });
}

void RoutingWatch::on_record(const runtime::Record& r) {
  ++records_;
  v1::RoutingEvent ev;
  if (!ev.ParseFromString(r.value)) return;
  const bool assignment = ev.has_assignment();
  if (!assignment && !ev.has_nurture() && !ev.has_held()) return;
  // A lead's first assignment: reassignment 0 of cycle 1 (0: before cycles).
  if (assignment) {
    const auto& a = ev.assignment();
    if (a.reassignment_count() > 0 || a.cycle() > 1) ++reassignments_;
    if (on_assignment_)
      on_assignment_({r.key, a.owner_rep_id(), a.tier(), a.reassignment_count(), a.cycle(),
                      a.handoff().country(), runtime::Clock::now()});
  }
  // Which phase and lead: "L<hex>-<index + 1>".
  const auto dash = r.key.find('-');
  if (dash == std::string::npos) return;
  for (size_t p = 0; p < phases_.size(); ++p) {
    if (r.key.compare(0, dash + 1, phases_[p].id_prefix) != 0) continue;
    int64_t index = 0;
    for (size_t i = dash + 1; i < r.key.size() && index >= 0; ++i)
      index = r.key[i] >= '0' && r.key[i] <= '9' ? index * 10 + (r.key[i] - '0') : -1;
    if (index < 1 || index > phases_[p].count) return;
    uint8_t& f = flags_[p][static_cast<size_t>(index - 1)];
    PhaseStats& s = *stats_[p];
    if (!(f & kDecided)) {
      f |= kDecided;
      ++s.decided;
      s.last_decision_ns = steady_ns();
    }
    if (ev.has_nurture()) f |= kNurtured;
    if (!assignment) return;
    const auto& a = ev.assignment();
    if (a.reassignment_count() > 0 || a.cycle() > 1) return;
    if (f & kAssigned) {
      ++s.duplicates;
      return;
    }
    f |= kAssigned;
    ++s.assigned;
    // Capture -> assignment only for leads routed at capture (a nurtured
    // lead promoted by a later signal measures the signal, not the router).
    if (f & kNurtured) return;
    const double ms = ms_since(runtime::from_timestamp(a.captured_at()));
    std::lock_guard lk(s.mu);
    s.assign_ms.push_back(ms);
    if (p == 0)  // the paced phase's, for capture -> clock started (not the flood's million)
      s.captured_ms[r.key] = runtime::to_millis(runtime::from_timestamp(a.captured_at()));
    return;
  }
}

SlaWatch::SlaWatch(client::ClientConfig cc, std::string topic)
    : cc_(std::move(cc)), topic_(std::move(topic)) {}

void SlaWatch::stop() noexcept {
  stop_ = true;
  if (th_.joinable()) th_.join();
}

void SlaWatch::start() {
  th_ = std::thread([this] {
    tail(cc_, topic_, stop_, error_, failed_, [this](const runtime::Record& r) {
      v1::SlaEvent ev;
      if (!ev.ParseFromString(r.value)) return;
      last_event_ns_ = steady_ns();
      const v1::Envelope* env = nullptr;
      if (ev.has_started()) {
        ++started_;
        std::lock_guard lk(mu_);
        first_started_.try_emplace(r.key, runtime::to_millis(runtime::Clock::now()));
      }
      if (ev.has_met()) ++met_;
      if (ev.has_warning()) env = &ev.warning().envelope();
      if (ev.has_breached() && !ev.breached().on_reassignment()) env = &ev.breached().envelope();
      if (ev.has_escalated()) env = &ev.escalated().envelope();
      if (ev.has_reassignment_requested()) env = &ev.reassignment_requested().envelope();
      if (!env || !env->has_event_time()) return;
      const double late = ms_since(runtime::from_timestamp(env->event_time()));
      ++fired_;
      std::lock_guard lk(mu_);
      late_ms_.push_back(late);
    });
  });
}

std::unordered_map<std::string, int64_t> SlaWatch::first_started() {
  std::lock_guard lk(mu_);
  return first_started_;
}

std::vector<double> SlaWatch::late_ms() {
  std::lock_guard lk(mu_);
  return late_ms_;
}

}  // namespace baton::bench
