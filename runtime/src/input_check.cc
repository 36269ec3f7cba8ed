#include "baton/runtime/input_check.h"

#include <google/protobuf/descriptor.h>

#include <string>

namespace baton::runtime {
namespace {

namespace pb = google::protobuf;

// A field's path ("envelope.occurred_at"), spelled out only for a rejection:
// a record that passes allocates nothing for it.
struct Path {
  const Path* parent = nullptr;
  const pb::FieldDescriptor* field = nullptr;  // null: the message itself
  std::string str() const {
    if (!field) return {};
    std::string up = parent ? parent->str() : std::string();
    return up.empty() ? field->name() : up + "." + field->name();
  }
};

struct Walker {
  TimePoint now;
  const InputLimits& limits;
  // The encoding is no longer than max_string_bytes: neither is any string
  // in it, and strings are not visited (most of a lead's fields).
  bool strings_fit = false;

  std::optional<Rejection> timestamp(const pb::Message& m, const Path& path) const {
    const auto* d = m.GetDescriptor();
    const auto* r = m.GetReflection();
    const auto* sf = d->FindFieldByName("seconds");
    const auto* nf = d->FindFieldByName("nanos");
    if (!sf || !nf) return std::nullopt;
    const int64_t s = r->GetInt64(m, sf);
    const int32_t n = r->GetInt32(m, nf);
    if (s == 0 && n == 0) return std::nullopt;  // unset
    const int64_t max_s =
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch() + limits.max_future)
            .count();
    if (n < 0 || n > 999999999 || s < 0 || s > max_s)
      return Rejection{"invalid_timestamp", path.str() + ": outside 1970 .. now + " +
                                                std::to_string(limits.max_future.count() / 24) +
                                                " days"};
    return std::nullopt;
  }

  std::optional<Rejection> scalar(const pb::Message& m, const pb::FieldDescriptor* f, int index,
                                  const Path& path) const {
    const auto* r = m.GetReflection();
    switch (f->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_STRING: {
        std::string scratch;
        const std::string& v = index < 0 ? r->GetStringReference(m, f, &scratch)
                                         : r->GetRepeatedStringReference(m, f, index, &scratch);
        if (v.size() > limits.max_string_bytes)
          return Rejection{"field_too_large", path.str() + ": " + std::to_string(v.size()) +
                                                  " bytes > " +
                                                  std::to_string(limits.max_string_bytes)};
        return std::nullopt;
      }
      case pb::FieldDescriptor::CPPTYPE_ENUM: {
        const int v = index < 0 ? r->GetEnumValue(m, f) : r->GetRepeatedEnumValue(m, f, index);
        if (!f->enum_type()->FindValueByNumber(v))
          return Rejection{"unknown_enum", path.str() + ": " + std::to_string(v) + " is not a " +
                                               f->enum_type()->full_name()};
        return std::nullopt;
      }
      case pb::FieldDescriptor::CPPTYPE_MESSAGE:
        return message(index < 0 ? r->GetMessage(m, f) : r->GetRepeatedMessage(m, f, index), path);
      default:
        return std::nullopt;
    }
  }

  std::optional<Rejection> message(const pb::Message& m, const Path& path) const {
    const auto* d = m.GetDescriptor();
    if (d->full_name() == "google.protobuf.Timestamp") return timestamp(m, path);
    const auto* r = m.GetReflection();
    std::vector<const pb::FieldDescriptor*> fields;
    r->ListFields(m, &fields);
    for (const auto* f : fields) {
      const Path p{&path, f};
      const bool skip = strings_fit && f->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING;
      if (!f->is_repeated()) {
        if (skip) continue;
        if (auto bad = scalar(m, f, -1, p)) return bad;
        continue;
      }
      const int n = r->FieldSize(m, f);
      if (n > limits.max_repeated)
        return Rejection{"field_too_large", p.str() + ": " + std::to_string(n) + " entries > " +
                                                std::to_string(limits.max_repeated)};
      for (int i = 0; i < n && !skip; ++i)
        if (auto bad = scalar(m, f, i, p)) return bad;
    }
    return std::nullopt;
  }
};

}  // namespace

std::optional<Rejection> check_message(const pb::Message& msg, TimePoint now,
                                       const InputLimits& limits, size_t wire_bytes) {
  return Walker{now, limits, wire_bytes <= limits.max_string_bytes}.message(msg, Path{});
}

std::optional<Rejection> check_input(const Record& in, pb::Message& msg, TimePoint now,
                                     const InputLimits& limits) {
  if (in.value.size() > limits.max_record_bytes)
    return Rejection{"record_too_large", std::to_string(in.value.size()) + " bytes > " +
                                             std::to_string(limits.max_record_bytes)};
  if (!msg.ParseFromString(in.value))
    return Rejection{"decode", "not a " + msg.GetDescriptor()->full_name()};
  return check_message(msg, now, limits, in.value.size());
}

}  // namespace baton::runtime
