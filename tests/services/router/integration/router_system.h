// Helpers for router integration tests on the real broker: a test routing
// config (pools rr, wt, ll, re), 24x7 UTC reps, leads, and the committed
// assignments read back from the routing topic.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "baton/v1/lead.pb.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/routing.pb.h"
#include "system.h"

namespace baton::test::router {

// Pools: rr (round_robin, manager mgr-rr), wt (weighted wt-1:3 wt-2:2
// wt-3:1), ll (least_loaded), re (round_robin, manager mgr-re). Rules pick
// the pool named by the lead's source; default rr. held_retry 1s.
// Writes the file into sys.dir() and returns its path.
std::string write_config(const System& sys);

// Active, 24x7 in UTC, unlimited unless capacity > 0.
v1::Rep rep(const std::string& id, const std::vector<std::string>& pools, int capacity = 0);
// The roster used by most tests: rr-1..rr-5, wt-1..wt-3, ll-1..ll-2
// (capacity 1), re-1..re-3, mgr-rr, mgr-re.
std::vector<v1::Rep> standard_roster();
void send_roster(System& sys, const std::vector<v1::Rep>& reps);

// A demo-request lead (high intent) whose source names the pool.
v1::LeadCaptured lead(const std::string& id, const std::string& source,
                      const std::string& email = "");

// Committed assignments by lead id, in topic order.
std::map<std::string, std::vector<v1::Assignment>> assignments(System& sys);
// Committed routing events of one kind for a lead.
int count_held(System& sys, const std::string& lead_id);

// Waits until the router's query API answers a merged lead's routing with
// its canonical lead's decision (GET /leads/{lead}/routing names it).
bool resolves_to(int port, const std::string& lead_id, const std::string& canonical,
                 std::chrono::milliseconds timeout);

// Starts `instances` routers (r0, r1, ...) with the test config.
void start_routers(System& sys, int instances);
// Waits until the routers are ready and consume nothing more (no record
// consumed across two looks 6 s apart).
bool settle(System& sys, int instances, std::chrono::milliseconds timeout);

}  // namespace baton::test::router
