// A placement (an Assignment or LeadHeld) travels twice from the desk that
// decided it: on baton.routing.events as a RoutingEvent, and to the lead's
// desk as LeadDeskInput{placed}. LeadDesk keeps the same RoutingEvent as the
// lead's last routing. The bytes are made once and reused: a LeadDeskInput
// that carries only `placed` is that field's tag, its length and the
// RoutingEvent's own bytes (protobuf's encoding of a one-field message).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace baton::router {

// LeadDeskInput{placed} from the RoutingEvent's serialized bytes.
std::string placed_input(std::string_view routing_event);

// The RoutingEvent bytes of a serialized LeadDeskInput that carries only
// `placed`, as a view into `lead_desk_input`; nullopt for anything else (the
// caller serializes instead).
std::optional<std::string_view> placed_event(std::string_view lead_desk_input);

}  // namespace baton::router
