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
#include "baton/v1/common.pb.h"
#include "router_config.h"

namespace baton::router {

inline constexpr const char* kIdentityErasureType = "baton.router.IdentityErasure";

// On the lead's partition: deletes the lead's keys, notifies the identity hop.
runtime::ProcessResult erase_lead_keys(const runtime::Record& in, const runtime::StateView& state,
                                       const RouterSettings& settings, runtime::TimePoint now);

// The identity desk forgets `person` (an IdentityCheck with `erase`, ids only).
void forget_person(runtime::Effects& fx, const RouterSettings& settings, const std::string& person,
                   const v1::Envelope& notice, const std::string& event_id, runtime::TimePoint now);

// On the identity partition (an erasure notice, ce_type kIdentityErasureType):
// deletes "person/<hash>" (the record key) an earlier build kept here, and
// tells the identity desk again, in case the record was carried there.
runtime::ProcessResult erase_identity(const runtime::Record& in, const RouterSettings& settings,
                                      runtime::TimePoint now);

}  // namespace baton::router
