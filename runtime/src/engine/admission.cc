#include "engine/admission.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>
#include <librdkafka/rdkafka.h>

#include <memory>

namespace baton::runtime {
namespace {

namespace pb = google::protobuf;

enum class Format { protobuf, json, unsupported };

Format format_of(const std::string* content_type) {
  if (!content_type || content_type->empty()) return Format::protobuf;
  std::string_view ct = *content_type;
  ct = ct.substr(0, ct.find(';'));  // "application/json; charset=utf-8"
  while (!ct.empty() && ct.back() == ' ') ct.remove_suffix(1);
  if (ct == "application/protobuf" || ct == "application/x-protobuf" ||
      ct == "application/vnd.google.protobuf")
    return Format::protobuf;
  if (ct == "application/json") return Format::json;
  return Format::unsupported;
}

std::string bounded(std::string_view s) {
  return std::string(s.substr(0, 100)) + (s.size() > 100 ? "..." : "");
}

// The envelope (baton.v1.Envelope) of a message, or of its set oneof member.
const pb::Message* envelope_of(const pb::Message& m) {
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  if (const auto* f = d->FindFieldByName("envelope");
      f && f->message_type() && !f->is_repeated() && r->HasField(m, f))
    return &r->GetMessage(m, f);
  for (int i = 0; i < d->oneof_decl_count(); ++i) {
    const auto* f = r->GetOneofFieldDescriptor(m, d->oneof_decl(i));
    if (f && f->message_type())
      if (const auto* env = envelope_of(r->GetMessage(m, f))) return env;
  }
  return nullptr;
}

std::string string_field(const pb::Message* m, const char* name) {
  if (!m) return {};
  const auto* f = m->GetDescriptor()->FindFieldByName(name);
  if (!f || f->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING || f->is_repeated()) return {};
  return m->GetReflection()->GetString(*m, f);
}

void set_header(Record& r, std::string_view key, std::string value) {
  for (auto& h : r.headers)
    if (h.key == key) {
      h.value = std::move(value);
      return;
    }
  r.headers.push_back(Header{std::string(key), std::move(value)});
}

}  // namespace

int32_t partition_of(std::string_view key, int32_t partitions) {
  if (partitions <= 0) return 0;
  return rd_kafka_msg_partitioner_murmur2(nullptr, key.data(), key.size(), partitions, nullptr,
                                          nullptr);
}

bool carries(const pb::Descriptor& type, std::string_view ce_type) {
  if (ce_type == type.full_name()) return true;
  for (int i = 0; i < type.oneof_decl_count(); ++i) {
    const auto* oneof = type.oneof_decl(i);
    for (int j = 0; j < oneof->field_count(); ++j) {
      const auto* mt = oneof->field(j)->message_type();
      if (mt && ce_type == mt->full_name()) return true;
    }
  }
  return false;
}

std::optional<Rejection> admit(Record& in, const InputContract& contract, TimePoint now,
                               const InputLimits& limits, StepArena* arena) {
  const Format format = format_of(in.header("content-type"));
  if (format == Format::unsupported)
    return Rejection{"unsupported_content_type", "content-type " +
                                                     bounded(*in.header("content-type")) +
                                                     " (application/protobuf or application/json)"};
  const std::string* ce_source = in.header("ce_source");
  if (ce_source && !ce_source->empty()) in.source = *ce_source;
  if (!contract.type) return std::nullopt;
  const pb::Descriptor& type = *contract.type;
  if (const std::string* t = in.header("ce_type"); t && !t->empty() && !carries(type, *t))
    return Rejection{"unexpected_type",
                     "ce_type " + bounded(*t) + " on a topic of " + type.full_name()};
  if (in.value.size() > limits.max_record_bytes)
    return Rejection{"record_too_large", std::to_string(in.value.size()) + " bytes > " +
                                             std::to_string(limits.max_record_bytes)};
  const pb::Message* proto = pb::MessageFactory::generated_factory()->GetPrototype(&type);
  if (!proto) return Rejection{"decode", "no generated type for " + type.full_name()};
  std::unique_ptr<pb::Message> owned;
  pb::Message* msg = arena ? &arena->fresh(*proto) : (owned.reset(proto->New()), owned.get());
  if (format == Format::json) {
    pb::util::JsonParseOptions opts;  // unknown fields are refused
    auto st = pb::util::JsonStringToMessage(in.value, msg, opts);
    if (!st.ok())
      return Rejection{"schema", "JSON is not a " + type.full_name() + ": " +
                                     bounded(std::string(st.message()))};
  } else if (!msg->ParseFromString(in.value)) {
    return Rejection{"decode", "not a " + type.full_name()};
  }
  const size_t wire_bytes = format == Format::json ? SIZE_MAX : in.value.size();
  if (auto bad = check_message(*msg, now, limits, wire_bytes)) return bad;
  const pb::Message* env = envelope_of(*msg);
  std::string key = in.key.empty() ? string_field(env, "lead_id") : std::string();
  if (in.key.empty() && key.empty())
    return Rejection{"missing_key", "no record key and no envelope.lead_id on " + type.full_name()};
  if (!key.empty()) in.key = std::move(key);
  if (in.source.empty()) in.source = string_field(env, "source_system");
  if (format == Format::json) {
    in.value.clear();
    msg->SerializeToString(&in.value);
    set_header(in, "content-type", "application/protobuf");
  }
  return std::nullopt;
}

}  // namespace baton::runtime
