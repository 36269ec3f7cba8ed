// The CLI's typed inputs: lead / signal JSON files (send-lead, send-signal
// --file), roster and accounts YAML (roster load, accounts load), times and
// amounts typed on the command line.
#include <chrono>

#include "baton/roster/roster_yaml.h"
#include "baton/v1/lead.pb.h"
#include "harness/pump.h"
#include "harness/targets.h"
#include "proto_util.h"

namespace baton::fuzz {
namespace {

template <typename M>
void json_input(const std::string& text) {
  M msg;
  if (!cli::parse_json(text, msg, "fuzz.json")) return;
  cli::fill_envelope(*msg.mutable_envelope(), "L-fuzz", fuzz_now(), "fresh-id", "baton-cli");
  M back;
  if (!back.ParseFromString(cli::deterministic_bytes(msg))) std::abort();  // round trip
  (void)cli::to_json(msg);
}

}  // namespace

int cli_json_one(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 6) {
    case 0:
      json_input<v1::LeadCaptured>(text);
      break;
    case 1:
      json_input<v1::EngagementSignal>(text);
      break;
    case 2:
      if (auto reps = roster::parse_reps_yaml(text, "fuzz.yaml")) (void)roster::reps_to_yaml(*reps);
      break;
    case 3:
      (void)roster::parse_accounts_yaml(text, "fuzz.yaml");
      break;
    case 4:
      if (auto t = cli::parse_time(text, "--at")) (void)cli::from_timestamp(*t);
      break;
    default:
      if (auto a = cli::parse_amount_minor(text)) (void)cli::format_amount_minor(*a);
      (void)cli::parse_enum(v1::SignalType_descriptor(), "SIGNAL_", text, "--type");
      break;
  }
  return 0;
}

}  // namespace baton::fuzz
