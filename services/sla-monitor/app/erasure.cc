#include "erasure.h"

#include "baton/runtime/events.h"
#include "baton/v1/lead.pb.h"
#include "sla_clock.h"
#include "state_codec.h"

namespace baton::sla::app {

runtime::ProcessResult erase_lead_clock(const runtime::Record& in) {
  v1::ErasureRequest req;
  if (!runtime::decode(in.value, req))
    return runtime::Rejection{"decode", "not a baton.v1.ErasureRequest"};
  const std::string lead = req.envelope().lead_id().empty() ? in.key : req.envelope().lead_id();
  if (lead.empty()) return runtime::Rejection{"invalid", "erasure without lead id"};
  runtime::Effects fx;
  fx.dedup_id = runtime::input_event_id(in, req.envelope().event_id());
  fx.del(state_key(lead));
  for (auto kind : {TimerKind::kWarn, TimerKind::kBreach, TimerKind::kEscalate,
                    TimerKind::kReassign, TimerKind::kPending})
    fx.cancel_timer(timer_id(lead, kind));
  return fx;
}

}  // namespace baton::sla::app
