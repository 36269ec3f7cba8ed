// The chaos run's driver and oracle. The driver plays upstream (captures,
// signals, erasure requests), the reps (first touch by the owner) and the CRM
// (stage changes); the oracle, computed from the input alone, says what every
// read_committed consumer must see exactly once per lead.
//
// Leads come in classes (lead index i % kSlots), each with its own story:
//   normal     capture -> assignment -> touch -> Contacted -> QUALIFIED outcome
//   breach     a standard-tier lead (short SLA budgets) whose first owner is
//              never touched: warning, breach, escalation, reassignment; the
//              new owner is touched and the story completes
//   merge      a second capture of the same person under another lead id is
//              merged into the first; the survivor's outcome lists it once
//   recycle    Contacted and met -> RECYCLED, then a fresh demo request opens
//              cycle 2
//   returning  QUALIFIED -> OPPORTUNITY -> WON, then a new capture opens cycle 2
//   erasure    once the QUALIFIED outcome and the clock's met are out, an
//              ErasureRequest; late stage changes are then refused (rule
//              "erased") and bring nothing back
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "system.h"

namespace baton::test {

enum class LeadClass { kNormal, kBreach, kMerge, kRecycle, kReturning, kErasure, kMergedAway };
inline constexpr int kClassCount = 6;  // kMergedAway is checked with its survivor
const char* class_name(LeadClass c);
LeadClass class_of(int index);

// What the committed outputs said about one lead, in topic order.
struct SeenAssignment {
  std::string event_id, owner;
  int cycle = 0, reassignment = 0;
};
struct SeenSla {
  std::string kind, owner;  // kind: started, warning, breached, escalated, met, reassign, ...
};
struct SeenLife {
  bool rejected = false;
  int to = 0;
  std::string rule, cause;
};
struct SeenOutcome {
  int stage = 0;
  std::vector<std::string> merged;
};

struct LeadProgress {
  LeadClass cls = LeadClass::kNormal;
  std::vector<SeenAssignment> assignments;
  std::vector<SeenSla> sla;
  std::vector<SeenLife> life;
  std::vector<SeenOutcome> outcomes;
  std::vector<std::string> merged;     // LeadMerged.merged_lead_id, in order
  std::multiset<std::string> outputs;  // topic/event id of every output about the lead
  // Driver state.
  std::set<std::string> sent;  // ids of inputs the driver sent for this lead
  int contacted_seen = 0, qualified_seen = 0;
  bool erasure_sent = false, erased_seen = false;
  int probes = 0;
  std::string probe_in_flight;
  // Hand-raises that should open cycle 2 (recycle: signals; returning: captures).
  int raises = 0;
  std::chrono::steady_clock::time_point raised_at;
  bool done = false;
};

class ChaosDriver {
 public:
  ChaosDriver(System& sys, int leads) : sys_(sys), leads_(leads) {}
  void send_roster();
  // Sends captures up to `upto` (exclusive).
  void capture_until(int upto);
  // Reads new committed outputs and reacts. Returns leads done.
  int step();
  int done() const { return done_; }
  int captured() const { return captured_; }
  // Lost: a lead without its full story; duplicated: any effect seen twice.
  struct ClassVerdict {
    int leads = 0, lost = 0, duplicated = 0;
    int shown = 0;  // failed stories shown in examples
  };
  struct Verdict {
    int lost = 0;
    int duplicated = 0;
    std::map<LeadClass, ClassVerdict> by_class;
    std::vector<std::string> examples;
    std::vector<std::string> lost_ids;  // every lead with something lost
  };
  Verdict verdict() const;
  static std::string lead_id(int i);
  static std::string merged_id(const std::string& survivor);
  // The sla-monitor's example config with budgets of hours for high intent
  // (every owner's touch meets the SLA however long a fault delays it) and of
  // seconds for the standard tier, which only the breach class reaches.
  static std::string chaos_sla_config(const std::string& dir);
  // One lead's story, for a failure message.
  std::string describe(const std::string& id) const;
  // The stories of up to `max` leads not done yet, and how many there are.
  std::vector<std::string> undone(int max, int* count) const;

 private:
  void scan(const std::string& topic, size_t& cursor,
            const std::function<void(const runtime::Record&)>& fn);
  // Per-class reactions (chaos_classes.cc).
  void on_assignment(const std::string& id, LeadProgress& p, const SeenAssignment& a);
  void on_merged(const std::string& id, LeadProgress& p);
  void on_sla(const std::string& id, LeadProgress& p, const SeenSla& s);
  void maybe_recycle(const std::string& id, LeadProgress& p);
  void on_transition(const std::string& id, LeadProgress& p, int to);
  void on_rejected(const std::string& id, LeadProgress& p, const SeenLife& l);
  void on_outcome(const std::string& id, LeadProgress& p, int stage);
  // Input senders (chaos_classes.cc); each id is sent at most once per lead.
  bool once(LeadProgress& p, const std::string& id);
  void touch(const std::string& id, LeadProgress& p, const std::string& rep,
             const std::string& event_id);
  void stage(const std::string& id, LeadProgress& p, int stage, const std::string& event_id);
  void capture(const std::string& id, const std::string& email, const std::string& trigger,
               const std::string& event_id);
  void signal(const std::string& id, LeadProgress& p, const std::string& event_id);
  void erase(const std::string& id, LeadProgress& p);
  void maybe_erase(const std::string& id, LeadProgress& p);
  void probe(const std::string& id, LeadProgress& p);
  void finish(LeadProgress& p);
  // Cycle 2 starts on a hand-raise that the router reads after the cycle's
  // close (lifecycle topic); a hand-raise read first is a touch of the closing
  // cycle. The customer raises the hand again until cycle 2 opens (bounded).
  void raise_hand(const std::string& id, LeadProgress& p);
  void raise_again();
  void give_up_stalled();
  // Per-class expectations (chaos_oracle.cc): problems found, empty if none.
  struct Problems {
    std::vector<std::string> lost, duplicated;
  };
  Problems check(const std::string& id, const LeadProgress& p) const;

  System& sys_;
  int leads_;
  int captured_ = 0;
  int done_ = 0;
  std::map<std::string, LeadProgress> p_;
  std::map<std::string, size_t> cursors_;
  std::set<std::string> waiting_;      // leads whose cycle 2 has not opened yet
  std::set<std::string> reassigning_;  // breach leads awaiting their new owner
};

}  // namespace baton::test
