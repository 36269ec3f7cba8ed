// Erasure of a lead in the router (the person's right to be forgotten).
//
// On the lead's LeadDesk partition (ErasureRequest keyed by lead id): the
// lead's keys "lead/<id>" and "routing/<id>" are deleted (tombstoned in the
// changelog) and, when the stored capture has an identity, "person/<hash>" is
// deleted where it is kept: an IdentityCheck with `erase` goes to the
// identity desk (identity_desk.h), and the ErasureRequest itself (told apart
// from a check by its ce_type header) to the older identity topic, keyed by
// the hash, for an earlier build's record. No PII leaves the lead's
// partition: both carry ids and the hash only. A lead merged into another (its state is the
// alias) also asks for the survivor's erasure on the erasure topic
// (domain/merge_erasure.h), so erasing any id of a merge group reaches the
// whole group.
#pragma once

#include "baton/runtime/processor.h"
#include "router_config.h"

namespace baton::router {

inline constexpr const char* kIdentityErasureType = "baton.router.IdentityErasure";

// On the lead's partition: deletes the lead's keys, notifies the identity hop.
runtime::ProcessResult erase_lead_keys(const runtime::Record& in, const runtime::StateView& state,
                                       const RouterSettings& settings, runtime::TimePoint now);

// True when a record on the identity topic is an erasure notice.
bool is_identity_erasure(const runtime::Record& in);
// On the identity partition: deletes "person/<hash>" (the record key).
runtime::ProcessResult erase_identity(const runtime::Record& in);

}  // namespace baton::router
