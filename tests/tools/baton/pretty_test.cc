#include "pretty.h"

#include <gtest/gtest.h>

#include "baton/v1/outcome.pb.h"
#include "baton/v1/routing.pb.h"
#include "baton/v1/sla.pb.h"

namespace baton::cli {
namespace {

runtime::Record record_of(const google::protobuf::Message& m, const std::string& key) {
  runtime::Record r;
  r.topic = "baton.routing.events";
  r.key = key;
  r.value = m.SerializeAsString();
  r.headers.push_back({"ce_type", m.GetDescriptor()->full_name()});
  return r;
}

TEST(Pretty, AssignmentSaysWhoAndWhy) {
  v1::RoutingEvent ev;
  auto* a = ev.mutable_assignment();
  a->set_owner_rep_id("rep-ana");
  a->set_tier(v1::TIER_HIGH_INTENT);
  *a->mutable_envelope()->mutable_event_time() =
      to_timestamp(TimePoint(std::chrono::seconds(36245)));
  auto* h = a->mutable_handoff();
  h->set_pool("emea-enterprise");
  h->set_rule_matched("emea-enterprise");
  h->set_rule_reason("country=DE");
  auto* s = h->add_skipped();
  s->set_rep_id("rep-bo");
  s->set_reason("outside_working_hours");
  auto rec = record_of(ev, "L123");
  auto msg = decode_record(rec, nullptr);
  ASSERT_NE(msg, nullptr);
  EXPECT_EQ(pretty_line(rec, msg.get(), true),
            "10:04:05 ASSIGNED L123 → rep-ana (high_intent, pool emea-enterprise, rule "
            "emea-enterprise: country=DE; skipped rep-bo: outside_working_hours)");
}

TEST(Pretty, SlaBreachAndOutcome) {
  v1::SlaEvent sla;
  sla.mutable_breached()->set_owner_rep_id("rep-ana");
  sla.mutable_breached()->set_tier(v1::TIER_HIGH_INTENT);
  EXPECT_EQ(describe(sla, "L123"), "SLA BREACHED L123 rep-ana high_intent");
  v1::Outcome o;
  o.set_stage(v1::STAGE_WON);
  o.set_amount_minor(1200000);
  o.set_currency("EUR");
  o.set_source("google");
  o.set_campaign("q4-demo");
  EXPECT_EQ(describe(o, "L123"), "OUTCOME L123 WON 12,000.00 EUR source=google campaign=q4-demo");
}

TEST(Pretty, WrapperTopicWithTheKindInCeType) {
  // sla-monitor names the kind in ce_type (routing without decoding); the
  // value is the SlaEvent wrapper of the topic.
  v1::SlaEvent sla;
  sla.mutable_escalated()->set_owner_rep_id("rep-dan");
  sla.mutable_escalated()->set_manager_id("mgr-frank");
  auto rec = record_of(sla, "L7");
  rec.topic = "baton.sla.events";
  rec.headers = {{"ce_type", "baton.v1.SlaEscalated"}};
  auto msg = decode_record(rec, find_topic(rec.topic, ""));
  ASSERT_NE(msg, nullptr);
  EXPECT_EQ(msg->GetDescriptor()->full_name(), "baton.v1.SlaEvent");
  EXPECT_EQ(describe(*msg, "L7").rfind("ESCALATED L7 rep-dan → manager mgr-frank", 0), 0u);
}

TEST(JsonLine, DecodesTheValueOrKeepsRawBytes) {
  v1::SlaEvent sla;
  sla.mutable_escalated()->set_manager_id("mgr-eva");
  auto rec = record_of(sla, "L1");
  auto msg = decode_record(rec, nullptr);
  auto line = json_line(rec, msg.get());
  EXPECT_NE(line.find("\"managerId\":\"mgr-eva\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"type\":\"baton.v1.SlaEvent\""), std::string::npos);
  runtime::Record raw;
  raw.value = "abc";
  EXPECT_NE(json_line(raw, nullptr).find("\"value_base64\":\"YWJj\""), std::string::npos);
}

}  // namespace
}  // namespace baton::cli
