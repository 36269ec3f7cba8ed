// Retention on the broker (issue 21): a lead is won, then sees no input for
// retention.closed_leads (3 s here). Feedback's durable timer issues an
// erasure request (legal basis "retention"), and the lead is gone from
// every service; feedback rebuilt from its changelog alone does not bring
// it back.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "journey_support.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;
using namespace journey;

class RetentionJourney : public ::testing::Test {
 protected:
  System sys{"retention"};
  std::string feedback_config;

  void SetUp() override {
    std::ifstream in(System::example_config("feedback"));
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    const auto at = text.find("\nfeedback:\n");
    ASSERT_NE(at, std::string::npos);
    text.insert(at + std::string("\nfeedback:\n").size(), "  retention:\n    closed_leads: 3s\n");
    feedback_config = sys.dir() + "/feedback-retention.yaml";
    std::ofstream(feedback_config) << text;
    sys.create_topics();
    send_roster(sys);
    sys.start("router", "r0");
    sys.start("sla-monitor", "s0");
    sys.start("feedback", "f0", feedback_config);
    ASSERT_TRUE(sys.all_ready(180s)) << "logs in " << sys.dir();
  }
  int status(const std::string& service, const std::string& path) {
    auto r = http_get(sys.port(service, service.substr(0, 1) + "0"), path);
    return r ? r->status : 0;
  }
};

TEST_F(RetentionJourney, RetentionErasesAWonLeadEverywhereAndARestoreBringsNothingBack) {
  const std::string lead = "R1";
  const auto t0 = runtime::Clock::now();
  sys.send("baton.leads.captured", lead, demo_request(lead, "cap-R1", "rita@acme.example", t0),
           "cap-R1");
  std::string owner;
  ASSERT_TRUE(wait_until(
      [&] {
        for (const auto& r : sys.read("baton.routing.events", 100ms)) {
          v1::RoutingEvent ev;
          if (r.key == lead && ev.ParseFromString(r.value) && ev.has_assignment())
            owner = ev.assignment().owner_rep_id();
        }
        return !owner.empty() && status("sla-monitor", "/leads/R1/sla") == 200;
      },
      90s))
      << "no assignment; logs in " << sys.dir();
  sys.send("baton.sales.activities", lead, call(lead, "touch-R1", owner, runtime::Clock::now()),
           "touch-R1");
  const std::vector<v1::Stage> stages{v1::STAGE_QUALIFIED, v1::STAGE_OPPORTUNITY, v1::STAGE_WON};
  for (size_t i = 0; i < stages.size(); ++i) {
    const std::string id = "stage-R1-" + std::to_string(i);
    const auto at = runtime::Clock::now();
    sys.send("baton.crm.stage-changes", lead,
             stages[i] == v1::STAGE_WON ? won(lead, id, owner, at, 1000)
                                        : stage(lead, id, stages[i], owner, at),
             id);
    ASSERT_TRUE(wait_until(
        [&] {
          for (const auto& o : outcomes(sys, 100ms))
            if (o.envelope().lead_id() == lead && o.stage() == stages[i]) return true;
          return false;
        },
        90s))
        << "no outcome for " << v1::Stage_Name(stages[i]) << "; logs in " << sys.dir();
  }
  // Three quiet seconds later the lead is erased from every service.
  ASSERT_TRUE(wait_until(
      [&] {
        return status("feedback", "/leads/R1/timeline") == 404 &&
               status("router", "/leads/R1/routing") == 404 &&
               status("sla-monitor", "/leads/R1/sla") == 404;
      },
      90s))
      << "the won lead was not erased; logs in " << sys.dir();
  int requests = 0;
  for (const auto& r : sys.read("baton.privacy.erasure", 500ms)) {
    v1::ErasureRequest req;
    if (r.key == lead && req.ParseFromString(r.value)) {
      ++requests;
      EXPECT_EQ(req.legal_basis().rfind("retention", 0), 0u) << req.legal_basis();
      EXPECT_EQ(req.requested_by(), "baton-feedback");
    }
  }
  EXPECT_EQ(requests, 1) << "one erasure request per expiry";
  // Rebuild feedback from its changelog alone: the lead stays gone.
  ASSERT_TRUE(sys.stop("feedback", "f0", SIGTERM).has_value());
  std::filesystem::remove_all(sys.dir() + "/state/feedback");
  sys.start("feedback", "f0", feedback_config);
  ASSERT_TRUE(sys.all_ready(180s)) << "logs in " << sys.dir();
  EXPECT_EQ(status("feedback", "/leads/R1/timeline"), 404) << "restored from the changelog";
}

}  // namespace
}  // namespace baton::test
