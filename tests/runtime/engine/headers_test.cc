// The Kafka headers the engine writes: CloudEvents attributes on outputs and
// the provenance headers of a dead letter.
#include "baton/runtime/headers.h"

#include <gtest/gtest.h>

#include <map>

#include "baton/runtime/client.h"
#include "baton/time/rfc3339.h"
#include "baton/time/time.h"

namespace baton::runtime {
namespace {

std::map<std::string, std::string> as_map(const std::vector<Header>& hs) {
  std::map<std::string, std::string> m;
  for (const auto& h : hs) {
    EXPECT_FALSE(m.count(h.key)) << "header twice: " << h.key;
    m[h.key] = h.value;
  }
  return m;
}

TEST(Headers, Rfc3339InUtcWithMilliseconds) {
  EXPECT_EQ(time::format_rfc3339(from_millis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(time::format_rfc3339(from_millis(1700000000123)), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(time::format_rfc3339(from_millis(1250)), "1970-01-01T00:00:01.250Z");
}

TEST(Headers, Rfc3339BeforeTheEpoch) {
  EXPECT_EQ(time::format_rfc3339(from_millis(-1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(time::format_rfc3339(from_millis(-1000)), "1969-12-31T23:59:59.000Z");
}

TEST(Headers, CloudEventsOfAnOutput) {
  Output o;
  o.topic = "baton.routing.events";
  o.key = "lead-1";
  o.event_id = "0b0e6f7c-1d2e-8a3b-9c4d-5e6f7a8b9c0d";
  o.ce_type = "baton.v1.RoutingEvent";
  o.event_time = from_millis(1700000000123);
  auto hs = cloudevents_headers(o, "router");
  ASSERT_EQ(hs.size(), 6u);
  EXPECT_EQ(hs[0].key, "ce_specversion") << "specversion first";
  auto m = as_map(hs);
  EXPECT_EQ(m["ce_specversion"], "1.0");
  EXPECT_EQ(m["ce_id"], o.event_id);
  EXPECT_EQ(m["ce_type"], "baton.v1.RoutingEvent");
  EXPECT_EQ(m["ce_source"], "baton/router");
  EXPECT_EQ(m["ce_time"], "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(m["content-type"], "application/protobuf");
}

TEST(Headers, EachOutputCarriesItsOwnTime) {
  // ce_time is formatted once per distinct time (a batch's outputs share
  // one): a later output at another time is not given the earlier one's.
  Output o;
  o.event_id = "id-1";
  const TimePoint times[] = {from_millis(1700000000123), from_millis(1700000000123),
                             from_millis(1700000000124), from_millis(0),
                             from_millis(1700000000123)};
  for (TimePoint t : times) {
    o.event_time = t;
    EXPECT_EQ(as_map(cloudevents_headers(o, "router"))["ce_time"], time::format_rfc3339(t));
  }
}

TEST(Headers, ClientRecordsUseTheSameBuilder) {
  // One CloudEvents builder: the CLI's and tests' records (client) and the
  // engine's outputs carry the same attributes in the same order.
  Output o;
  o.event_id = "id-1";
  o.ce_type = "baton.v1.LeadCaptured";
  o.event_time = from_millis(1700000000123);
  auto engine = cloudevents_headers(o, "router");
  auto cli = client::cloudevents_headers("id-1", "baton.v1.LeadCaptured", "baton/router",
                                         from_millis(1700000000123));
  ASSERT_EQ(cli.size(), engine.size());
  for (size_t i = 0; i < cli.size(); ++i) {
    EXPECT_EQ(cli[i].key, engine[i].key);
    EXPECT_EQ(cli[i].value, engine[i].value) << cli[i].key;
  }
}

TEST(Headers, DeadLetterKeepsInputHeadersAndAddsProvenance) {
  Record in;
  in.topic = "baton.leads.captured";
  in.partition = 5;
  in.offset = 123456789012;
  in.key = "lead-1";
  in.headers = {{"ce_id", "upstream-id"}, {"traceparent", "00-abc"}};
  auto hs = dead_letter_headers(in, Rejection{"decode", "not a LeadCaptured"}, "router");
  ASSERT_EQ(hs.size(), 8u);
  EXPECT_EQ(hs[0].key, "ce_id") << "the input's headers come first, unchanged";
  EXPECT_EQ(hs[0].value, "upstream-id");
  EXPECT_EQ(hs[1].key, "traceparent");
  auto m = as_map(hs);
  EXPECT_EQ(m["baton.error.reason"], "decode");
  EXPECT_EQ(m["baton.error.detail"], "not a LeadCaptured");
  EXPECT_EQ(m["baton.source.topic"], "baton.leads.captured");
  EXPECT_EQ(m["baton.source.partition"], "5");
  EXPECT_EQ(m["baton.source.offset"], "123456789012");
  EXPECT_EQ(m["baton.service"], "router");
}

TEST(Headers, DeadLetterDetailIsBounded) {
  Record in;
  auto hs = dead_letter_headers(in, Rejection{"invalid", std::string(5000, 'x')}, "feedback");
  auto m = as_map(hs);
  EXPECT_EQ(m["baton.error.detail"].size(), 1024u);
  EXPECT_EQ(m["baton.source.partition"], "0");
  EXPECT_EQ(m["baton.service"], "feedback");
}

TEST(Headers, DeadLetterOfAMovedRecordNamesWhereItsProducerPutIt) {
  Record in;
  in.topic = "baton.sales.activities";
  in.partition = 4;  // the owning partition it was moved to
  in.offset = 17;
  in.headers = {{"ce_id", "a-1"}, {"baton.origin.partition", "1"}, {"baton.origin.offset", "99"}};
  std::map<std::string, std::string> m;
  for (const auto& h : dead_letter_headers(in, Rejection{"invalid", "x"}, "sla-monitor"))
    m[h.key] = h.value;
  EXPECT_EQ(m["baton.source.partition"], "1");
  EXPECT_EQ(m["baton.source.offset"], "99");
  EXPECT_EQ(m["ce_id"], "a-1");
  EXPECT_FALSE(m.count("baton.origin.partition"));
}

}  // namespace
}  // namespace baton::runtime
