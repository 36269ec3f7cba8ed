// SlaState <-> stored bytes (the state store's value for key "lead/<id>":
// a version byte and a baton.v1.StoredSlaState; version-1 JSON is still
// read), and the read-only view served at GET /leads/{id}/sla.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sla_state.h"

namespace baton::sla::app {

std::string state_key(std::string_view lead_id);
std::string encode_state(const SlaState& s);
std::optional<SlaState> decode_state(std::string_view bytes);
// Times as RFC 3339, tier and status by name; no PII (ids only).
std::string state_view_json(const SlaState& s);

}  // namespace baton::sla::app
