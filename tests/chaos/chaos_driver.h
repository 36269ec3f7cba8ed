// The chaos run's driver and oracle. The driver plays upstream (captures),
// the reps (first touch by the owner) and the CRM (QUALIFIED once the lead is
// Contacted); the oracle, computed from the input alone, says what every
// read_committed consumer must see exactly once per lead.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "system.h"

namespace baton::test {

struct LeadProgress {
  std::string owner;
  int assignments = 0;
  int clocks = 0;
  int met = 0;
  int sla_other = 0;               // warnings, breaches, escalations, reassignments
  std::map<int, int> transitions;  // Stage -> count
  int rejected = 0;
  int outcomes = 0;
  bool touched = false;
  bool qualified_sent = false;
};

class ChaosDriver {
 public:
  ChaosDriver(System& sys, int leads) : sys_(sys), leads_(leads) {}
  void send_roster();
  // Sends captures up to `upto` (exclusive).
  void capture_until(int upto);
  // Reads new committed outputs and reacts (touch, qualify). Returns leads done.
  int step();
  int done() const { return done_; }
  int captured() const { return captured_; }
  // Lost: a lead without its full story; duplicated: any effect seen twice.
  struct Verdict {
    int lost = 0;
    int duplicated = 0;
    std::vector<std::string> examples;
  };
  Verdict verdict() const;
  static std::string lead_id(int i);
  // The sla-monitor's example config with budgets of hours, written to
  // dir/sla-chaos.yaml: the oracle expects every owner's touch to meet the
  // SLA, however long a fault delays it.
  static std::string long_sla_config(const std::string& dir);

 private:
  void scan(const std::string& topic, size_t& cursor,
            const std::function<void(const runtime::Record&)>& fn);
  System& sys_;
  int leads_;
  int captured_ = 0;
  int done_ = 0;
  std::map<std::string, LeadProgress> p_;
  std::map<std::string, size_t> cursors_;
};

}  // namespace baton::test
