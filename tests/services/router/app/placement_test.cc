// A placement's bytes, made once at the desk and kept as they came at
// LeadDesk (services/router/app/placement.h).
#include "app/placement.h"

#include <gtest/gtest.h>

#include <string>

#include "baton/v1/router_state.pb.h"
#include "baton/v1/routing.pb.h"

namespace baton::router {
namespace {

v1::RoutingEvent assignment(int skipped) {
  v1::RoutingEvent ev;
  auto* a = ev.mutable_assignment();
  a->mutable_envelope()->set_lead_id("lead-1");
  a->mutable_envelope()->set_event_id("evt-1");
  a->set_owner_rep_id("rep-7");
  a->mutable_handoff()->set_pool("dach");
  for (int i = 0; i < skipped; ++i)
    a->mutable_handoff()->add_skipped()->set_rep_id("rep-" + std::to_string(i));
  return ev;
}

TEST(Placement, InputIsWhatProtobufWouldSerialize) {
  // Small and large events: a length of one varint byte and of several.
  for (int skipped : {0, 3, 200}) {
    const v1::RoutingEvent ev = assignment(skipped);
    v1::LeadDeskInput notice;
    *notice.mutable_placed() = ev;
    const std::string bytes = placed_input(ev.SerializeAsString());
    EXPECT_EQ(bytes, notice.SerializeAsString()) << skipped;
    v1::LeadDeskInput parsed;
    ASSERT_TRUE(parsed.ParseFromString(bytes));
    EXPECT_EQ(parsed.placed().assignment().owner_rep_id(), "rep-7");
  }
}

TEST(Placement, EventIsTheRoutingEventsOwnBytes) {
  const v1::RoutingEvent ev = assignment(200);
  const std::string event = ev.SerializeAsString();
  const std::string input = placed_input(event);
  auto back = placed_event(input);  // a view into `input`
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, event);
  v1::RoutingEvent held;
  held.mutable_held()->mutable_envelope()->set_lead_id("lead-2");
  v1::LeadDeskInput notice;
  *notice.mutable_placed() = held;
  const std::string earlier = notice.SerializeAsString();
  back = placed_event(earlier);
  ASSERT_TRUE(back) << "an earlier build's notice, serialized whole";
  EXPECT_EQ(*back, held.SerializeAsString());
}

TEST(Placement, AnythingElseIsNotTakenForAPlacement) {
  v1::LeadDeskInput other;
  other.mutable_alias()->set_lead_id("lead-1");
  EXPECT_FALSE(placed_event(other.SerializeAsString()));
  EXPECT_FALSE(placed_event(""));
  const std::string whole = placed_input(assignment(3).SerializeAsString());
  EXPECT_FALSE(placed_event(whole.substr(0, whole.size() - 1))) << "truncated";
  EXPECT_FALSE(placed_event(whole + whole)) << "more than the one field";
}

}  // namespace
}  // namespace baton::router
