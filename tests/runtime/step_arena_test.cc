// StepArena: one step's parsed message on a reused block (issue 18 point 4).
#include "baton/runtime/step_arena.h"

#include <gtest/gtest.h>

#include <string>

#include "baton/v1/lead.pb.h"
#include "baton/v1/routing.pb.h"

namespace baton::runtime {
namespace {

TEST(StepArena, EachStepGetsAnEmptyMessage) {
  StepArena arena(1024);  // small: the steps below outgrow the first block
  for (int step = 0; step < 50; ++step) {
    auto& lead = arena.fresh<v1::LeadCaptured>();
    EXPECT_FALSE(lead.has_envelope()) << "step " << step;
    EXPECT_TRUE(lead.campaign().empty()) << "step " << step;
    EXPECT_EQ(lead.GetArena(), lead.mutable_envelope()->GetArena()) << "fields on the arena";
    EXPECT_TRUE(lead.fields().empty()) << "step " << step;
    lead.mutable_envelope()->set_lead_id("lead-" + std::to_string(step));
    (*lead.mutable_fields())["form"] = "step " + std::to_string(step);  // a map field
    lead.set_campaign(std::string(4096, 'c'));                          // longer than the block
    v1::LeadCaptured copy = lead;  // a copy on the heap outlives the step
    EXPECT_EQ(copy.envelope().lead_id(), "lead-" + std::to_string(step));
  }
}

TEST(StepArena, ParsesAsAHeapMessageDoes) {
  v1::RoutingEvent ev;
  auto* a = ev.mutable_assignment();
  a->mutable_envelope()->set_lead_id("lead-1");
  a->set_owner_rep_id("rep-7");
  for (int i = 0; i < 20; ++i)
    a->mutable_handoff()->add_skipped()->set_rep_id("r" + std::to_string(i));
  const std::string wire = ev.SerializeAsString();
  StepArena arena;
  for (int step = 0; step < 3; ++step) {
    auto& parsed = arena.fresh<v1::RoutingEvent>();
    ASSERT_TRUE(parsed.ParseFromString(wire));
    EXPECT_EQ(parsed.SerializeAsString(), wire);
  }
  auto& by_prototype = arena.fresh(v1::RoutingEvent::default_instance());
  ASSERT_TRUE(by_prototype.ParseFromString(wire));
  EXPECT_EQ(by_prototype.GetDescriptor(), v1::RoutingEvent::descriptor());
  EXPECT_EQ(by_prototype.SerializeAsString(), wire);
}

}  // namespace
}  // namespace baton::runtime
