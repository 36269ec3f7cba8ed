// Fuzz targets: each takes arbitrary bytes and must never crash, leak or
// hit undefined behaviour. Used by the libFuzzer binaries (fuzz/entry.cc)
// and by the replay unit test (tests/fuzz/replay_test.cc), which runs every
// committed corpus and regression input through the same functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace baton::fuzz {

// Service targets. Input framing: byte 0 picks the input topic (modulo the
// processor's input topics), byte 1 the record key (bits 0-1: "", "L-1",
// "L-2", "dach") and whether a ce_id header is set (bit 2); the rest is the
// record value. The record runs through the service's processors on an
// in-memory state already holding lead L-1 (captured and assigned), and
// every output addressed to one of the service's inputs, then due timers,
// are pumped through too (bounded).
int router_one(const uint8_t* data, size_t size);
int sla_monitor_one(const uint8_t* data, size_t size);
int feedback_one(const uint8_t* data, size_t size);
// YAML bytes as a whole service config file: the runtime's loader (kafka,
// runtime and the router's section through the router's ServiceSpec) and
// each service's config reader on its section.
int config_one(const uint8_t* data, size_t size);
// The CLI's JSON input (send-lead / send-signal --file): byte 0 picks
// LeadCaptured or EngagementSignal; then envelope defaults, deterministic
// bytes and JSON rendering, as `baton send-*` does.
int cli_json_one(const uint8_t* data, size_t size);

// Builds a framed service input: {topic index, flags, value}.
std::string frame(uint8_t topic, uint8_t flags, const std::string& value);

struct Target {
  const char* name;
  int (*fn)(const uint8_t*, size_t);
};
const std::vector<Target>& all_targets();

}  // namespace baton::fuzz
