// Valid messages of the contract: the warm-up state of the service targets
// and the seed corpora (fuzz/make_seeds.cc). Made-up people, no real PII.
#pragma once

#include <string>

#include "baton/runtime/processor.h"
#include "baton/v1/activity.pb.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/lifecycle.pb.h"
#include "baton/v1/routing.pb.h"
#include "baton/v1/sla.pb.h"

namespace baton::fuzz {

using runtime::TimePoint;

v1::Envelope envelope(const std::string& lead, const std::string& event, TimePoint at);
v1::LeadCaptured sample_lead(const std::string& lead, const std::string& event, TimePoint at);
v1::EngagementSignal sample_signal(const std::string& lead, const std::string& event,
                                   v1::SignalType type, TimePoint at);
v1::RoutingEvent sample_assignment(const std::string& lead, const std::string& event,
                                   const std::string& rep, TimePoint at);
v1::ReassignmentRequest sample_reassign(const std::string& lead, const std::string& event,
                                        const std::string& rep, TimePoint at);
v1::SalesActivity sample_activity(const std::string& lead, const std::string& event,
                                  v1::ActivityType type, TimePoint at);
v1::StageChange sample_stage(const std::string& lead, const std::string& event, v1::Stage stage,
                             TimePoint at);
v1::LifecycleEvent sample_transition(const std::string& lead, const std::string& event,
                                     v1::Stage stage, TimePoint at);
v1::SlaEvent sample_breach(const std::string& lead, const std::string& event, TimePoint at);
v1::ErasureRequest sample_erasure(const std::string& lead, const std::string& event, TimePoint at);
v1::PoolRequest sample_pool_request(const std::string& lead, const std::string& event,
                                    TimePoint at);

}  // namespace baton::fuzz
