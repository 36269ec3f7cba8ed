#include "pretty.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <openssl/evp.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "baton/v1/activity.pb.h"
#include "baton/v1/contract.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/lifecycle.pb.h"
#include "baton/v1/outcome.pb.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/routing.pb.h"
#include "baton/v1/sla.pb.h"

namespace baton::cli {
namespace {

namespace pb = google::protobuf;

std::string base64(const std::string& in) {
  // OpenSSL's encoder (standard alphabet, padded): 4 output bytes per 3 in, plus a NUL.
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(n < 0 ? 0 : static_cast<size_t>(n));
  return out;
}

std::string tier(v1::Tier t) { return enum_word(v1::Tier_descriptor(), t); }
std::string stage(v1::Stage s) { return enum_word(v1::Stage_descriptor(), s); }
std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string reason(const v1::Disposition& d) {
  std::string r = enum_word(v1::DispositionReason_descriptor(), d.reason());
  if (!d.text().empty()) r += " \"" + d.text() + "\"";
  return r;
}
std::string seconds(double s) {
  return duration_text(std::chrono::milliseconds(static_cast<int64_t>(s * 1000)));
}
std::string attribution(const std::string& source, const std::string& campaign) {
  std::string out = "source=" + (source.empty() ? "-" : source);
  if (!campaign.empty()) out += " campaign=" + campaign;
  return out;
}

std::string describe_assignment(const v1::Assignment& a, const std::string& lead) {
  const auto& h = a.handoff();
  std::string head = a.reassignment_count() > 0
                         ? "REASSIGNED " + lead + " " + a.previous_owner_rep_id() + " → " +
                               a.owner_rep_id() + " (#" + std::to_string(a.reassignment_count()) +
                               ", "
                         : "ASSIGNED " + lead + " → " + a.owner_rep_id() + " (";
  head += tier(a.tier());
  if (!h.pool().empty()) head += ", pool " + h.pool();
  if (!h.rule_matched().empty())
    head += ", rule " + h.rule_matched() + (h.rule_reason().empty() ? "" : ": " + h.rule_reason());
  if (!h.selection().empty()) head += ", " + h.selection();
  if (h.skipped_size() > 0) {
    head += "; skipped ";
    for (int i = 0; i < h.skipped_size(); ++i)
      head += (i ? ", " : "") + h.skipped(i).rep_id() + ": " + h.skipped(i).reason();
  }
  return head + ")";
}

std::string describe_routing(const v1::RoutingEvent& e, const std::string& lead) {
  switch (e.kind_case()) {
    case v1::RoutingEvent::kAssignment:
      return describe_assignment(e.assignment(), lead);
    case v1::RoutingEvent::kNurture:
      return "NURTURE " + lead + " (fit " + std::to_string(int(e.nurture().score().fit())) +
             ", intent " + std::to_string(int(e.nurture().score().intent())) + ": " +
             e.nurture().reason() + ")";
    case v1::RoutingEvent::kTierChanged:
      return "TIER " + lead + " " + tier(e.tier_changed().previous_tier()) + " → " +
             tier(e.tier_changed().tier()) + " (" + e.tier_changed().reason() + ")";
    case v1::RoutingEvent::kScoreUpdated:
      return "SCORE " + lead + " fit " + std::to_string(int(e.score_updated().score().fit())) +
             " intent " + std::to_string(int(e.score_updated().score().intent())) + " → " +
             tier(e.score_updated().tier()) +
             (e.score_updated().signal_type() == v1::SIGNAL_UNSPECIFIED
                  ? std::string()
                  : " (signal " + v1::SignalType_Name(e.score_updated().signal_type()) + ")");
    case v1::RoutingEvent::kHeld: {
      std::string s = "HELD " + lead + " (pool " + e.held().pool() + ", " + tier(e.held().tier());
      for (const auto& k : e.held().skipped()) s += "; " + k.rep_id() + ": " + k.reason();
      return s + ")";
    }
    case v1::RoutingEvent::kMerged:
      return "MERGED " + e.merged().merged_lead_id() + " into " + lead + " (source " +
             e.merged().source() + ")";
    default:
      return "ROUTING " + lead + " (empty)";
  }
}

std::string describe_sla(const v1::SlaEvent& e, const std::string& lead) {
  switch (e.kind_case()) {
    case v1::SlaEvent::kStarted:
      return "SLA STARTED " + lead + " " + e.started().owner_rep_id() + " " +
             tier(e.started().tier()) + " due " +
             clock_text(from_timestamp(e.started().deadline()), true) + "Z (" +
             e.started().policy() + ")";
    case v1::SlaEvent::kWarning:
      return "SLA WARNING " + lead + " " + e.warning().owner_rep_id() + " " +
             tier(e.warning().tier()) + " " + seconds(e.warning().remaining_seconds()) + " left";
    case v1::SlaEvent::kBreached:
      return "SLA BREACHED " + lead + " " + e.breached().owner_rep_id() + " " +
             tier(e.breached().tier()) +
             (e.breached().on_reassignment() ? " (on reassignment)" : "");
    case v1::SlaEvent::kEscalated:
      return "ESCALATED " + lead + " " + e.escalated().owner_rep_id() + " → manager " +
             e.escalated().manager_id() + " (" + tier(e.escalated().tier()) + ", overdue " +
             seconds(e.escalated().overdue_seconds()) + ")";
    case v1::SlaEvent::kMet:
      return std::string(e.met().within_sla() ? "SLA MET " : "SLA MET LATE ") + lead + " " +
             e.met().owner_rep_id() + " " + tier(e.met().tier()) + " first touch after " +
             seconds(e.met().rep_delay_seconds()) + " (" + e.met().activity_type() + ")";
    case v1::SlaEvent::kRecycleRejected: {
      const auto& r = e.recycle_rejected();
      return "RECYCLE REFUSED " + lead + " " + r.owner_rep_id() + " attempts " +
             std::to_string(r.attempts()) + "/" + std::to_string(r.required_attempts()) +
             ", days " + std::to_string(r.distinct_days()) + "/" +
             std::to_string(r.required_distinct_days()) +
             (r.missing().empty() ? "" : " (" + r.missing() + ")");
    }
    case v1::SlaEvent::kReassignmentRequested:
      return "REASSIGN REQUESTED " + lead + " from " + e.reassignment_requested().owner_rep_id() +
             " (" + e.reassignment_requested().reason() + ")";
    default:
      return "SLA " + lead + " (empty)";
  }
}

std::string describe_outcome(const v1::Outcome& o, const std::string& lead) {
  std::string s = "OUTCOME " + lead + " " + upper(stage(o.stage()));
  if (o.amount_minor() != 0) s += " " + format_amount_minor(o.amount_minor()) + " " + o.currency();
  if (o.disposition().reason() != v1::DISPOSITION_UNSPECIFIED) s += " " + reason(o.disposition());
  s += " " + attribution(o.source(), o.campaign());
  if (!o.owner_rep_id().empty()) s += " owner=" + o.owner_rep_id();
  return s;
}

}  // namespace

std::string duration_text(std::chrono::milliseconds d) {
  int64_t ms = d.count();
  const char* sign = ms < 0 ? "-" : "";
  if (ms < 0) ms = -ms;
  char buf[48];
  if (ms < 1000) {
    std::snprintf(buf, sizeof buf, "%s%lldms", sign, static_cast<long long>(ms));
  } else if (ms < 60000) {
    std::snprintf(buf, sizeof buf, "%s%.1fs", sign, static_cast<double>(ms) / 1000.0);
  } else if (ms < 3600000) {
    std::snprintf(buf, sizeof buf, "%s%lldm %02llds", sign, static_cast<long long>(ms / 60000),
                  static_cast<long long>(ms / 1000 % 60));
  } else if (ms < 86400000) {
    std::snprintf(buf, sizeof buf, "%s%lldh %02lldm", sign, static_cast<long long>(ms / 3600000),
                  static_cast<long long>(ms / 60000 % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%s%lldd %02lldh", sign, static_cast<long long>(ms / 86400000),
                  static_cast<long long>(ms / 3600000 % 24));
  }
  return buf;
}

std::unique_ptr<pb::Message> decode_record(const runtime::Record& record, const TopicInfo* topic) {
  std::string type;
  if (const auto* ce = record.header("ce_type")) type = *ce;
  const pb::Descriptor* d = nullptr;
  if (!type.empty()) d = pb::DescriptorPool::generated_pool()->FindMessageTypeByName(type);
  const pb::Descriptor* topic_type =
      topic != nullptr && !topic->message_type.empty()
          ? pb::DescriptorPool::generated_pool()->FindMessageTypeByName(
                std::string(topic->message_type))
          : nullptr;
  if (d == nullptr) d = topic_type;
  // A wrapper topic (SlaEvent, LifecycleEvent) may name the kind it carries in
  // ce_type (e.g. baton.v1.SlaWarning): the value is still the wrapper.
  if (topic_type != nullptr && d != topic_type)
    for (int i = 0; i < topic_type->field_count(); ++i)
      if (topic_type->field(i)->message_type() == d) d = topic_type;
  if (d == nullptr) return nullptr;
  const pb::Message* proto = pb::MessageFactory::generated_factory()->GetPrototype(d);
  if (proto == nullptr) return nullptr;
  std::unique_ptr<pb::Message> msg(proto->New());
  if (!msg->ParseFromString(record.value)) return nullptr;
  return msg;
}

std::string json_line(const runtime::Record& record, const pb::Message* msg) {
  nlohmann::json j;
  j["topic"] = record.topic;
  j["partition"] = record.partition;
  j["offset"] = record.offset;
  j["key"] = record.key;
  j["timestamp"] = record.timestamp_ms;
  if (msg != nullptr) {
    j["type"] = msg->GetDescriptor()->full_name();
    j["value"] = nlohmann::json::parse(to_json(*msg), nullptr, false);
  } else {
    nlohmann::json headers = nlohmann::json::object();
    for (const auto& h : record.headers) headers[h.key] = h.value;
    j["headers"] = headers;
    j["value_base64"] = base64(record.value);
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<TimePoint> event_time(const pb::Message& msg) {
  const pb::Message* m = &msg;
  const auto* refl = m->GetReflection();
  if (const auto* oneof = m->GetDescriptor()->FindOneofByName("kind")) {
    const auto* field = refl->GetOneofFieldDescriptor(*m, oneof);
    if (field == nullptr) return std::nullopt;
    m = &refl->GetMessage(*m, field);
    refl = m->GetReflection();
  }
  const auto* env_field = m->GetDescriptor()->FindFieldByName("envelope");
  if (env_field == nullptr || !refl->HasField(*m, env_field)) return std::nullopt;
  const auto& env = static_cast<const v1::Envelope&>(refl->GetMessage(*m, env_field));
  if (!env.has_event_time()) return std::nullopt;
  return from_timestamp(env.event_time());
}

std::string describe(const pb::Message& msg, const std::string& key) {
  if (auto* e = dynamic_cast<const v1::RoutingEvent*>(&msg)) return describe_routing(*e, key);
  if (auto* e = dynamic_cast<const v1::SlaEvent*>(&msg)) return describe_sla(*e, key);
  if (auto* e = dynamic_cast<const v1::Outcome*>(&msg)) return describe_outcome(*e, key);
  if (auto* e = dynamic_cast<const v1::LeadCaptured*>(&msg))
    return "CAPTURED " + key + " " + attribution(e->source(), e->campaign()) +
           (e->trigger_signal().empty() ? "" : " trigger=" + e->trigger_signal()) + " (" +
           e->company().name() +
           (e->company().country().empty() ? "" : ", " + e->company().country()) + ")";
  if (auto* e = dynamic_cast<const v1::EngagementSignal*>(&msg))
    return "SIGNAL " + key + " " + enum_word(v1::SignalType_descriptor(), e->type()) + " " +
           e->url();
  if (auto* e = dynamic_cast<const v1::SalesActivity*>(&msg))
    return "ACTIVITY " + key + " " + e->rep_id() + " " +
           enum_word(v1::ActivityType_descriptor(), e->type()) +
           (e->outcome().empty() ? "" : " (" + e->outcome() + ")");
  if (auto* e = dynamic_cast<const v1::StageChange*>(&msg)) {
    std::string s = "STAGE CHANGE " + key + " → " + stage(e->stage());
    if (e->disposition().reason() != v1::DISPOSITION_UNSPECIFIED)
      s += " " + reason(e->disposition());
    if (e->amount_minor() != 0)
      s += " " + format_amount_minor(e->amount_minor()) + " " + e->currency();
    return s + (e->owner_rep_id().empty() ? "" : " by " + e->owner_rep_id());
  }
  if (auto* e = dynamic_cast<const v1::LifecycleEvent*>(&msg)) {
    if (e->has_rejected())
      return "TRANSITION REFUSED " + key + " " + stage(e->rejected().from()) + " → " +
             stage(e->rejected().to()) + ": " + e->rejected().rule() +
             (e->rejected().detail().empty() ? "" : " (" + e->rejected().detail() + ")");
    const auto& t = e->transitioned();
    std::string s = "STAGE " + key + " " + stage(t.from()) + " → " + stage(t.to());
    if (t.disposition().reason() != v1::DISPOSITION_UNSPECIFIED) s += " " + reason(t.disposition());
    return s + (t.owner_rep_id().empty() ? "" : " (" + t.owner_rep_id() + ")");
  }
  if (auto* e = dynamic_cast<const v1::ReassignmentRequest*>(&msg))
    return "REASSIGNMENT REQUEST " + key + " from " + e->current_owner_rep_id() + " (" +
           e->reason() + (e->requested_by().empty() ? "" : ", by " + e->requested_by()) + ")";
  if (auto* e = dynamic_cast<const v1::ErasureRequest*>(&msg))
    return "ERASE " + key + (e->requested_by().empty() ? "" : " requested by " + e->requested_by());
  if (auto* e = dynamic_cast<const v1::Rep*>(&msg)) {
    std::string pools;
    for (const auto& p : e->pools()) pools += (pools.empty() ? "" : ",") + p;
    return "REP " + e->id() + " pools=" + pools + " tz=" + e->time_zone() +
           (e->active() ? "" : " inactive");
  }
  if (auto* e = dynamic_cast<const v1::Account*>(&msg))
    return "ACCOUNT " + e->id() + " owner=" + e->owner_rep_id() + " (" + e->name() + ")";
  if (auto* e = dynamic_cast<const v1::PoolRequest*>(&msg)) {
    std::string_view kind = v1::pool_request_kind_name(v1::pool_request_kind(*e));
    return "POOL REQUEST " + e->pool() + " " + std::string(kind.empty() ? "unspecified" : kind) +
           " " + e->envelope().lead_id();
  }
  return msg.GetDescriptor()->name() + " " + key;
}

std::string pretty_line(const runtime::Record& record, const pb::Message* msg, bool utc) {
  TimePoint t = TimePoint(std::chrono::milliseconds(record.timestamp_ms));
  if (msg != nullptr)
    if (auto et = event_time(*msg)) t = *et;
  std::string text;
  if (msg != nullptr) {
    text = describe(*msg, record.key);
  } else {
    const auto* err = record.header("baton.error");
    text = "RAW " + record.topic + " key=" + record.key + " (" +
           std::to_string(record.value.size()) + " bytes" + (err ? ", error " + *err : "") + ")";
  }
  return clock_text(t, utc) + " " + text;
}

}  // namespace baton::cli
