#include "baton/runtime/events.h"

#include <google/protobuf/util/json_util.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "baton/v1/contract.h"

namespace baton::runtime {

namespace {
// Baton's namespace for derived event ids: uuid_v5(NameSpace_URL, "urn:baton:event-id").
const std::array<unsigned char, 16>& event_id_namespace() {
  static const std::array<unsigned char, 16> ns = [] {
    // RFC 9562 section 6.6: the URL namespace 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
    const std::array<unsigned char, 16> url = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                               0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
    return uuid_v5_bytes(url, "urn:baton:event-id");
  }();
  return ns;
}
}  // namespace

std::array<unsigned char, 16> uuid_v5_bytes(const std::array<unsigned char, 16>& ns,
                                            std::string_view name) {
  // SHA-1 fetched from its provider once, and one context per thread: an
  // implicit fetch (EVP_sha1()) and a new context per id took 2% of the
  // router's CPU in a profile (docs/benchmarks.md, session 20).
  static const std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> sha1(
      EVP_MD_fetch(nullptr, "SHA1", nullptr), &EVP_MD_free);
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                                 &EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const bool ok = sha1 && ctx && EVP_DigestInit_ex(ctx.get(), sha1.get(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx.get(), ns.data(), ns.size()) == 1 &&
                  EVP_DigestUpdate(ctx.get(), name.data(), name.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx.get(), digest, &len) == 1 && len >= 16;
  if (!ok) throw std::runtime_error("uuid_v5: SHA-1 is not available from OpenSSL");
  std::array<unsigned char, 16> out;
  std::copy(digest, digest + 16, out.begin());
  out[6] = static_cast<unsigned char>((out[6] & 0x0F) | 0x50);  // version 5
  out[8] = static_cast<unsigned char>((out[8] & 0x3F) | 0x80);  // variant 10xx
  return out;
}

std::string uuid_v5(const std::array<unsigned char, 16>& ns, std::string_view name) {
  auto b = uuid_v5_bytes(ns, name);
  uint64_t hi = 0, lo = 0;
  for (int i = 0; i < 8; ++i) hi = (hi << 8) | b[i];
  for (int i = 8; i < 16; ++i) lo = (lo << 8) | b[i];
  return v1::format_uuid(hi, lo, 5);
}

std::string derive_event_id(std::string_view input_event_id, std::string_view purpose) {
  // The name is "<length of the input id>:<input id><purpose>", so the
  // boundary between the two parts is part of the name ("ab"+"c" differs
  // from "a"+"bc").
  std::string name = std::to_string(input_event_id.size());
  name += ':';
  name += input_event_id;
  name += purpose;
  return uuid_v5(event_id_namespace(), name);
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
  if (ce_type.empty())
    o.ce_type = msg.GetDescriptor()->full_name();
  else
    o.ce_type = std::move(ce_type);  // the conditional operator would copy it
  o.event_time = event_time;
  return o;
}

bool decode(const std::string& bytes, google::protobuf::Message& msg) {
  return msg.ParseFromString(bytes);
}

std::optional<std::string> to_json(const google::protobuf::Descriptor& type,
                                   const std::string& bytes) {
  const google::protobuf::Message* proto =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(&type);
  if (!proto) return std::nullopt;
  std::unique_ptr<google::protobuf::Message> msg(proto->New());
  if (!msg->ParseFromString(bytes)) return std::nullopt;
  std::string json;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(*msg, &json, opts).ok()) return std::nullopt;
  return json;
}

}  // namespace baton::runtime
