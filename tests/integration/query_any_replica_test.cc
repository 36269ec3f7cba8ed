// Deployment-wide queries from any replica (issue 20, point 1): three
// instances of each service; every instance is asked about every lead
// (/leads/{id}/routing, /sla, /timeline) and for the reports (/funnel,
// /calibration), and all give the same 200 answer. A replica that does not
// own a lead's partition forwards the query to the owner (found from the
// consumer group's metadata) under the caller's token; a report reads each
// partition once, from whichever replica holds it.
#include <gtest/gtest.h>

#include "baton/runtime/events.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/routing.pb.h"
#include "builders.h"
#include "system.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;

constexpr int kLeads = 24;

v1::LeadCaptured lead(const std::string& id) {
  v1::LeadCaptured l;
  l.mutable_envelope()->set_event_id("cap-" + id);
  l.mutable_envelope()->set_lead_id(id);
  *l.mutable_envelope()->mutable_event_time() = runtime::to_timestamp(runtime::Clock::now());
  l.mutable_envelope()->set_source_system("web-form");
  l.mutable_person()->set_email(id + "@acme-" + id + ".example");
  l.mutable_person()->set_seniority("vp");
  l.mutable_company()->set_industry("software");
  l.mutable_company()->set_employee_band("201-1000");
  l.mutable_company()->set_country("de");
  l.set_source(id.back() % 2 ? "google" : "webinar");
  l.set_campaign("q4-demo");
  l.set_trigger_signal("demo_request");
  return l;
}

// Every instance's answer to `path`; true when all are 200 and equal.
bool same_answer_everywhere(System& sys, const std::string& service,
                            const std::vector<std::string>& insts, const std::string& path,
                            std::string& why) {
  std::optional<std::string> first;
  for (const auto& i : insts) {
    auto r = http_get(sys.port(service, i), path);
    if (!r || r->status != 200) {
      why = service + "/" + i + " " + path + ": " +
            (r ? std::to_string(r->status) + " " + r->body : "no answer");
      return false;
    }
    if (!first) first = r->body;
    if (r->body != *first) {
      why = service + "/" + i + " " + path + " differs: " + r->body + " vs " + *first;
      return false;
    }
  }
  return true;
}

TEST(QueryAnyReplica, EveryInstanceGivesTheSameAnswerForEveryLeadAndReport) {
  System sys("anyreplica");
  sys.create_topics();
  for (const auto& [id, pool] : std::vector<std::pair<std::string, std::string>>{
           {"rep-dach-1", "dach"}, {"rep-dach-2", "dach"}, {"rep-gen-1", "general"}})
    sys.send("baton.roster.reps", id, always_on_rep(id, pool));
  const std::map<std::string, std::vector<std::string>> members{{"router", {"r0", "r1", "r2"}},
                                                                {"sla-monitor", {"s0", "s1", "s2"}},
                                                                {"feedback", {"f0", "f1", "f2"}}};
  for (const auto& [svc, insts] : members)
    for (const auto& i : insts) sys.start(svc, i);
  ASSERT_TRUE(sys.all_ready(300s)) << sys.dir();

  std::vector<std::string> ids;
  for (int i = 0; i < kLeads; ++i) {
    ids.push_back("QA" + std::to_string(i));
    sys.send_async("baton.leads.captured", ids.back(), lead(ids.back()), "cap-" + ids.back());
  }
  sys.flush();
  ASSERT_TRUE(wait_until(
      [&] {
        std::set<std::string> assigned;
        for (const auto& r : sys.read("baton.routing.events")) {
          v1::RoutingEvent ev;
          if (ev.ParseFromString(r.value) && ev.has_assignment()) assigned.insert(r.key);
        }
        return static_cast<int>(assigned.size()) == kLeads;
      },
      180s))
      << "not every lead was assigned; " << sys.dir();

  // The clocks and timelines follow the assignments: await each answer.
  std::string why;
  for (const auto& id : ids) {
    for (const auto& query : std::vector<std::pair<std::string, std::string>>{
             {"router", "/leads/" + id + "/routing"},
             {"sla-monitor", "/leads/" + id + "/sla"},
             {"feedback", "/leads/" + id + "/timeline"}}) {
      const std::string& svc = query.first;
      EXPECT_TRUE(wait_until(
          [&] { return same_answer_everywhere(sys, svc, members.at(svc), query.second, why); },
          120s, 250ms))
          << why << "; logs in " << sys.dir();
    }
  }
  for (const std::string path : {"/funnel?by=source", "/funnel?by=campaign", "/calibration"})
    EXPECT_TRUE(wait_until(
        [&] { return same_answer_everywhere(sys, "feedback", members.at("feedback"), path, why); },
        120s, 250ms))
        << why << "; logs in " << sys.dir();
  // The funnel counts the whole deployment's leads, not one replica's share.
  auto funnel = http_get(sys.port("feedback", "f1"), "/funnel?by=campaign");
  ASSERT_TRUE(funnel.has_value());
  EXPECT_NE(funnel->body.find(std::to_string(kLeads)), std::string::npos) << funnel->body;
}

}  // namespace
}  // namespace baton::test
