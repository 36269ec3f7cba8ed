// No lead PII in logs: the three services (demo configs, log level info)
// take the generator's load (`baton generate --rate 50 --count 200 --seed
// 7`, simulated reps included); then every service log is scanned for every
// generated lead's email, "first last" name and phone number, read back
// from the captured-leads topic. None may appear.
#include <gtest/gtest.h>

#include <csignal>
#include <set>

#include "baton/v1/lead.pb.h"
#include "system.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;

constexpr int kLeads = 200;

TEST(PiiInLogs, NoLeadEmailNameOrPhoneInAnyServiceLog) {
  System sys("pii");
  sys.create_topics();
  const std::vector<std::pair<std::string, std::string>> instances = {
      {"router", "r0"}, {"sla-monitor", "s0"}, {"feedback", "f0"}};
  std::map<std::string, int> ports;
  for (const auto& [s, inst] : instances)
    ports[s] = sys.start(s, inst, source_dir() + "/deploy/demo/" + s + ".yaml");
  ASSERT_TRUE(sys.all_ready(120s)) << sys.dir();

  // The demo load; reps react 600x faster so follow-ups finish quickly.
  ASSERT_EQ(sys.cli({"generate", "--rate", "50", "--count", std::to_string(kLeads), "--seed", "7",
                     "--time-scale", "600", "--idle-exit", "5"},
                    "generate"),
            0)
      << "baton generate failed; see " << sys.dir() << "/generate.log";

  // The people the generator made up, as the services received them.
  std::set<std::string> needles;
  std::set<std::string> leads;
  ASSERT_TRUE(wait_until(
      [&] {
        for (const auto& r : sys.read("baton.leads.captured")) {
          v1::LeadCaptured l;
          if (!l.ParseFromString(r.value)) continue;
          leads.insert(l.envelope().lead_id());
          const auto& p = l.person();
          if (!p.email().empty()) needles.insert(p.email());
          if (!p.first_name().empty() && !p.last_name().empty())
            needles.insert(p.first_name() + " " + p.last_name());
          if (!p.phone().empty()) needles.insert(p.phone());
        }
        return static_cast<int>(leads.size()) >= kLeads;
      },
      60s))
      << leads.size() << " leads read back";
  ASSERT_GT(needles.size(), static_cast<size_t>(kLeads));

  // Every service processed the load before its log is read.
  for (const auto& [s, topic] :
       std::vector<std::pair<std::string, std::string>>{{"router", "leads.captured\""},
                                                        {"feedback", "leads.captured\""},
                                                        {"sla-monitor", "routing.events\""}})
    ASSERT_TRUE(wait_until(
        [&, s = s, topic = topic] {
          auto n = metric(ports[s], "baton_records_in_total", topic);
          return n && *n >= (s == "sla-monitor" ? 1 : kLeads);
        },
        120s))
        << s << " did not process the load; logs in " << sys.dir();
  // A clean stop flushes every log line.
  for (const auto& [s, inst] : instances) EXPECT_EQ(sys.stop(s, inst, SIGTERM), 0) << s;

  for (const auto& [s, inst] : instances) {
    const std::string path = sys.child(s, inst).log_path();
    const std::string log = read_file(path);
    EXPECT_FALSE(log.empty()) << path;
    for (const auto& needle : needles)
      EXPECT_EQ(log.find(needle), std::string::npos) << "PII '" << needle << "' in " << path;
  }
}

}  // namespace
}  // namespace baton::test
