// Erasure of a lead in the sla-monitor (the person's right to be forgotten):
// an ErasureRequest (keyed by lead id) deletes the lead's SLA state — the
// clock, its contact attempts and any pending early activities — which
// tombstones the key in the changelog, and cancels every timer of the lead.
#pragma once

#include "baton/runtime/processor.h"

namespace baton::sla::app {

runtime::ProcessResult erase_lead_clock(const runtime::Record& in);

}  // namespace baton::sla::app
