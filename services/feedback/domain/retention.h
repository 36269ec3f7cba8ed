// Retention of closed leads: a lead that is Won, Lost, Rejected or Recycled
// and sees no input for the configured time is erased from every service,
// as a right-to-erasure request would erase it (legal basis "retention").
// The clock is a durable timer per lead, set again by each input.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "baton/feedback/state.pb.h"
#include "baton/v1/lead.pb.h"
#include "timepoint.h"

namespace baton::feedback {

bool is_closed(v1::Stage s);
std::string retention_timer_id(const std::string& lead_id);

// The erasure request a due retention timer issues, or nullopt when the lead
// is gone, already erased or open again.
std::optional<v1::ErasureRequest> retention_erasure(const std::optional<state::LeadRecord>& lead,
                                                    const std::string& lead_id,
                                                    std::chrono::milliseconds retention,
                                                    TimePoint now);

}  // namespace baton::feedback
