#include "baton/runtime/events.h"

#include <algorithm>

#include "baton/v1/contract.h"

namespace baton::runtime {

namespace {
uint64_t fnv1a(std::string_view a, std::string_view b, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ seed;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  };
  mix(a);
  h ^= 0xff;
  h *= 1099511628211ULL;
  mix(b);
  // Final avalanche (splitmix64) so near-identical inputs differ everywhere.
  h += 0x9e3779b97f4a7c15ULL;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}
}  // namespace

std::string derive_event_id(std::string_view input_event_id, std::string_view purpose) {
  // UUID layout, version 8 (custom), RFC 4122 variant.
  return v1::format_uuid(fnv1a(input_event_id, purpose, 0x42),
                         fnv1a(input_event_id, purpose, 0x4242), 8);
}

std::string qualified_event_id(const Record& in, std::string_view id) {
  // Baton's own events carry ids derived from qualified ids: unique already.
  if (id.empty() || in.source.empty() || in.source.rfind("baton/", 0) == 0) return std::string(id);
  return in.source + "/" + std::string(id);
}

std::string input_event_id(const Record& in, std::string_view carried) {
  if (const std::string* ce = in.header("ce_id"); ce && !ce->empty())
    return qualified_event_id(in, *ce);
  return qualified_event_id(in, carried);
}

Output make_output(std::string topic, std::string key, const google::protobuf::Message& msg,
                   std::string event_id, TimePoint event_time, std::string ce_type) {
  Output o;
  o.topic = std::move(topic);
  o.key = std::move(key);
  msg.SerializeToString(&o.value);
  o.type = msg.GetDescriptor();
  o.event_id = std::move(event_id);
  o.ce_type = ce_type.empty() ? msg.GetDescriptor()->full_name() : std::move(ce_type);
  o.event_time = event_time;
  return o;
}

bool decode(const std::string& bytes, google::protobuf::Message& msg) {
  return msg.ParseFromString(bytes);
}

}  // namespace baton::runtime
