#include "proto_util.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <random>

#include "baton/time/rfc3339.h"
#include "baton/time/zone.h"
#include "baton/v1/contract.h"

namespace baton::cli {

namespace pb = google::protobuf;

std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  return text;
}

Result<int> parse_enum(const pb::EnumDescriptor* type, std::string_view prefix,
                       std::string_view text, std::string_view what) {
  std::string wanted(prefix);
  for (char c : text) wanted += (c == '-' ? '_' : static_cast<char>(std::toupper(c)));
  std::string allowed;
  for (int i = 0; i < type->value_count(); ++i) {
    const auto* v = type->value(i);
    if (v->number() == 0) continue;
    if (v->name() == wanted || v->name() == std::string(text)) return v->number();
    if (!allowed.empty()) allowed += ", ";
    allowed += enum_word(type, v->number());
  }
  return Error{"input.enum", std::string(what) + ": unknown value '" + std::string(text) +
                                 "' (allowed: " + allowed + ")"};
}

std::string enum_word(const pb::EnumDescriptor* type, int value) {
  const auto* v = type->FindValueByNumber(value);
  if (v == nullptr) return std::to_string(value);
  std::string name = v->name();
  // Strip the enum's own prefix: everything up to the first '_'.
  auto us = name.find('_');
  if (us != std::string::npos) name = name.substr(us + 1);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

Result<pb::Timestamp> parse_time(std::string_view text, std::string_view what) {
  auto t = time::parse_rfc3339(text);
  if (!t)
    return Error{"input.time", std::string(what) + ": expected an RFC 3339 time like " +
                                   "2025-01-31T09:30:00Z, got '" + std::string(text) + "'"};
  return time::to_timestamp(*t);
}

std::string clock_text(TimePoint t, bool utc) {
  return time::format_time(t, "%H:%M:%S",
                           utc ? time::TimeZone::utc() : time::TimeZone::local_system());
}

Status parse_json(std::string_view text, pb::Message& msg, std::string_view origin) {
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status =
      pb::util::JsonStringToMessage(pb::StringPiece(text.data(), text.size()), &msg, options);
  if (!status.ok())
    return Error{"input.json",
                 one_line(std::string(origin) + ": not a valid " + msg.GetDescriptor()->name() +
                          " in protobuf JSON: " + std::string(status.message()))};
  return Status::ok();
}

std::string to_json(const pb::Message& msg) {
  std::string out;
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  auto status = pb::util::MessageToJsonString(msg, &out, options);
  if (!status.ok()) return "{}";
  return out;
}

void fill_envelope(v1::Envelope& env, std::string_view lead_id, TimePoint now,
                   std::string_view fresh_id, std::string_view source_system) {
  if (env.event_id().empty()) env.set_event_id(std::string(fresh_id));
  if (!env.has_event_time()) *env.mutable_event_time() = to_timestamp(now);
  if (env.source_system().empty()) env.set_source_system(std::string(source_system));
  if (env.schema_version().empty()) env.set_schema_version("v1");
  if (env.lead_id().empty() && !lead_id.empty()) env.set_lead_id(std::string(lead_id));
}

std::string deterministic_bytes(const pb::Message& msg) {
  std::string out;
  {
    pb::io::StringOutputStream stream(&out);
    pb::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    msg.SerializeToCodedStream(&coded);
  }
  return out;
}

std::string random_uuid() {
  static thread_local std::mt19937_64 rng{
      std::random_device{}() ^
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())};
  uint64_t a = rng(), b = rng();
  return v1::format_uuid(a, b, 4);
}

Result<int64_t> parse_amount_minor(std::string_view text) {
  auto bad = [&] {
    return Error{"input.amount",
                 "amount: expected a decimal like 1200.50, got '" + std::string(text) + "'"};
  };
  if (text.empty()) return bad();
  int64_t units = 0, cents = 0;
  int frac_digits = -1;
  for (char c : text) {
    if (c == '.' && frac_digits < 0) {
      frac_digits = 0;
      continue;
    }
    if (c == ',' && frac_digits < 0) continue;
    if (!std::isdigit(static_cast<unsigned char>(c))) return bad();
    if (frac_digits < 0) {
      if (units > 1000000000000LL) return bad();
      units = units * 10 + (c - '0');
    } else {
      if (++frac_digits > 2) return bad();
      cents = cents * 10 + (c - '0');
    }
  }
  if (frac_digits == 1) cents *= 10;
  return units * 100 + cents;
}

std::string format_amount_minor(int64_t minor) {
  bool neg = minor < 0;
  uint64_t v = static_cast<uint64_t>(neg ? -minor : minor);
  std::string units = std::to_string(v / 100);
  std::string grouped;
  for (size_t i = 0; i < units.size(); ++i) {
    if (i > 0 && (units.size() - i) % 3 == 0) grouped += ',';
    grouped += units[i];
  }
  char cents[4];
  std::snprintf(cents, sizeof cents, "%02u", static_cast<unsigned>(v % 100));
  return (neg ? "-" : "") + grouped + "." + cents;
}

}  // namespace baton::cli
