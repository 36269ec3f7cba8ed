#include "kafka/conf.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <sstream>

#include "baton/runtime/retry.h"
#include "kafka/create_topics.h"

extern char** environ;

namespace baton::runtime::kafka {

Result<std::unique_ptr<RdKafka::Conf>> make_conf(const Props& props) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  for (const auto& [k, v] : props) {
    if (conf->set(k, v, err) != RdKafka::Conf::CONF_OK)
      return Error{"kafka.config",
                   std::string("kafka property '").append(k).append("': ").append(err)};
  }
  return conf;
}

Result<std::unique_ptr<RdKafka::KafkaConsumer>> open_replay_consumer(Props props,
                                                                     const std::string& group_id) {
  props["group.id"] = group_id;
  props["enable.auto.commit"] = "false";
  props["enable.partition.eof"] = "true";
  props["isolation.level"] = "read_committed";
  props["auto.offset.reset"] = "earliest";
  props.try_emplace("queued.max.messages.kbytes", kPrefetchKbytes);
  auto conf = make_conf(props);
  if (!conf) return conf.error();
  std::string err;
  std::unique_ptr<RdKafka::KafkaConsumer> c(RdKafka::KafkaConsumer::create(conf->get(), err));
  if (!c) return Error{"kafka.consumer", err};
  return c;
}

namespace {
bool topic_listed(RdKafka::Handle& h, const std::string& topic, int timeout_ms);

Result<int> partition_count_once(RdKafka::Handle& h, const std::string& topic, int timeout_ms) {
  std::string err;
  std::unique_ptr<RdKafka::Topic> t(RdKafka::Topic::create(&h, topic, nullptr, err));
  if (!t) return Error{"kafka.topic", err};
  RdKafka::Metadata* md = nullptr;
  auto rc = h.metadata(false, t.get(), &md, timeout_ms);
  std::unique_ptr<RdKafka::Metadata> guard(md);
  if (rc != RdKafka::ERR_NO_ERROR)
    return Error{"kafka.unreachable",
                 "metadata for topic '" + topic + "' failed: " + RdKafka::err2str(rc)};
  for (const auto* tm : *md->topics()) {
    if (tm->topic() != topic) continue;
    if (tm->err() != RdKafka::ERR_NO_ERROR)
      return Error{"kafka.topic_missing", "topic '" + topic + "': " + RdKafka::err2str(tm->err()) +
                                              " (create it with `baton topics create`)"};
    return static_cast<int>(tm->partitions()->size());
  }
  return Error{"kafka.topic_missing", "topic '" + topic + "' does not exist"};
}
}  // namespace

Result<int> partition_count(RdKafka::Handle& h, const std::string& topic, int timeout_ms) {
  // On a cluster, a topic just created may be known to one broker and not
  // yet to the one asked: retry for a few seconds, and as long as the
  // cluster lists it (up to the timeout). A topic that really is missing
  // is reported after the few seconds.
  Retry retry(RetryPolicy{.deadline = std::chrono::milliseconds(timeout_ms),
                          .base = std::chrono::milliseconds(100),
                          .max_delay = std::chrono::milliseconds(1000)});
  return retry.run(
      [&](int) { return partition_count_once(h, topic, timeout_ms); },
      [&](const Result<int>& n) {
        return !n && n.error().code == "kafka.topic_missing" &&
               (retry.elapsed() < std::chrono::seconds(5) || topic_listed(h, topic, timeout_ms));
      });
}

namespace {
// Whether the cluster lists the topic (an all-topics request never auto-creates).
bool topic_listed(RdKafka::Handle& h, const std::string& topic, int timeout_ms) {
  RdKafka::Metadata* md = nullptr;
  auto rc = h.metadata(true, nullptr, &md, timeout_ms);
  std::unique_ptr<RdKafka::Metadata> guard(md);
  if (rc != RdKafka::ERR_NO_ERROR) return false;
  for (const auto* tm : *md->topics())
    if (tm->topic() == topic && tm->err() == RdKafka::ERR_NO_ERROR) return true;
  return false;
}
}  // namespace

Status ensure_topic(RdKafka::Handle& h, const std::string& topic, int partitions,
                    const Props& configs, int timeout_ms) {
  // Pre-created topics need no CreateTopics call (nor the ACL for it).
  if (topic_listed(h, topic, timeout_ms)) return Status::ok();
  auto reply = create_topics(h, {NewTopic{topic, partitions, -1, configs}}, timeout_ms);
  if (!reply) return Error{"kafka.admin", reply.error().message};
  Status st = Status::ok();
  if (reply->err == RdKafka::ERR__TIMED_OUT) {
    st = Error{"kafka.unreachable", "creating topic '" + topic + "' timed out"};
  } else if (reply->err != RdKafka::ERR_NO_ERROR) {
    st = Error{"kafka.admin", "creating topic '" + topic + "': " + reply->message};
  } else {
    for (const auto& t : reply->topics)
      if (t.err != RdKafka::ERR_NO_ERROR && t.err != RdKafka::ERR_TOPIC_ALREADY_EXISTS)
        st = Error{"kafka.admin", "creating topic '" + topic + "': " + t.message};
  }
  // The controller answers before every broker's metadata lists the new
  // topic; wait for it so the caller's next metadata request sees it.
  if (st)
    poll_until([&] { return topic_listed(h, topic, timeout_ms); },
               RetryPolicy{.deadline = std::chrono::milliseconds(timeout_ms),
                           .base = std::chrono::milliseconds(50),
                           .max_delay = std::chrono::milliseconds(500)});
  return st;
}

namespace {
// Variables of scripts/kafka that share the prefix but are no librdkafka
// property (a shell that started a test broker may still have them set).
bool reserved_for_scripts(const std::string& name) {
  return name == "VERSION" || name == "SECURITY" || name == "START_TIMEOUT" || name == "STOP_GRACE";
}
}  // namespace

Props props_from_env(const std::vector<std::string>& environment,
                     std::vector<std::string>* errors) {
  Props out;
  const std::string prefix = "BATON_KAFKA_";
  for (const auto& kv : environment) {
    if (kv.rfind(prefix, 0) != 0) continue;
    auto eq = kv.find('=');
    if (eq == std::string::npos) continue;
    std::string name = kv.substr(prefix.size(), eq - prefix.size());
    std::string value = kv.substr(eq + 1);
    if (name.empty() || reserved_for_scripts(name)) continue;
    bool from_file = name.size() > 5 && name.substr(name.size() - 5) == "_FILE";
    if (from_file) {
      name = name.substr(0, name.size() - 5);
      std::ifstream in(value);
      if (!in) {
        if (errors) errors->push_back(kv.substr(0, eq) + ": cannot read the file '" + value + "'");
        continue;
      }
      std::stringstream ss;
      ss << in.rdbuf();
      value = ss.str();
      while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    }
    std::string prop;
    for (char c : name) prop += c == '_' ? '.' : static_cast<char>(std::tolower(c));
    out[prop] = value;
  }
  return out;
}

Props props_from_env(std::vector<std::string>* errors) {
  std::vector<std::string> environment;
  for (char** e = environ; e && *e; ++e) environment.emplace_back(*e);
  return props_from_env(environment, errors);
}

}  // namespace baton::runtime::kafka
