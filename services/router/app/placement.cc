#include "placement.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include "baton/v1/router_state.pb.h"

namespace baton::router {
namespace {

using google::protobuf::internal::WireFormatLite;

constexpr uint32_t kPlacedTag = WireFormatLite::MakeTag(v1::LeadDeskInput::kPlacedFieldNumber,
                                                        WireFormatLite::WIRETYPE_LENGTH_DELIMITED);

}  // namespace

std::string placed_input(std::string_view routing_event) {
  std::string out;
  out.reserve(routing_event.size() + 8);
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.WriteTag(kPlacedTag);
    coded.WriteVarint32(static_cast<uint32_t>(routing_event.size()));
    coded.WriteRaw(routing_event.data(), static_cast<int>(routing_event.size()));
  }
  return out;
}

std::optional<std::string_view> placed_event(std::string_view lead_desk_input) {
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(lead_desk_input.data()),
      static_cast<int>(lead_desk_input.size()));
  uint32_t size = 0;
  if (in.ReadTag() != kPlacedTag || !in.ReadVarint32(&size)) return std::nullopt;
  const size_t at = static_cast<size_t>(in.CurrentPosition());
  if (at + size != lead_desk_input.size()) return std::nullopt;  // more than `placed`
  return lead_desk_input.substr(at);
}

}  // namespace baton::router
