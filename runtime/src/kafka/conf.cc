#include "kafka/conf.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace baton::runtime::kafka {

Result<std::unique_ptr<RdKafka::Conf>> make_conf(const Props& props) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  for (const auto& [k, v] : props) {
    if (conf->set(k, v, err) != RdKafka::Conf::CONF_OK)
      return Error{"kafka.config", "kafka property '" + k + "': " + err};
  }
  return conf;
}

Result<int> partition_count(RdKafka::Handle& h, const std::string& topic, int timeout_ms) {
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
  rd_kafka_t* rk = h.c_ptr();
  char errstr[512];
  rd_kafka_NewTopic_t* nt =
      rd_kafka_NewTopic_new(topic.c_str(), partitions, -1, errstr, sizeof errstr);
  if (!nt) return Error{"kafka.admin", errstr};
  for (const auto& [k, v] : configs) rd_kafka_NewTopic_set_config(nt, k.c_str(), v.c_str());
  rd_kafka_queue_t* q = rd_kafka_queue_new(rk);
  rd_kafka_AdminOptions_t* opts = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_AdminOptions_set_operation_timeout(opts, timeout_ms, errstr, sizeof errstr);
  rd_kafka_AdminOptions_set_request_timeout(opts, timeout_ms, errstr, sizeof errstr);
  rd_kafka_CreateTopics(rk, &nt, 1, opts, q);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(q, timeout_ms + 2000);
  Status st = Status::ok();
  if (!ev) {
    st = Error{"kafka.unreachable", "creating topic '" + topic + "' timed out"};
  } else if (rd_kafka_event_error(ev)) {
    st = Error{"kafka.admin",
               std::string("creating topic '") + topic + "': " + rd_kafka_event_error_string(ev)};
  } else {
    const rd_kafka_CreateTopics_result_t* res = rd_kafka_event_CreateTopics_result(ev);
    size_t n = 0;
    const rd_kafka_topic_result_t** trs = rd_kafka_CreateTopics_result_topics(res, &n);
    for (size_t i = 0; i < n; ++i) {
      auto e = rd_kafka_topic_result_error(trs[i]);
      if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
        st = Error{"kafka.admin", std::string("creating topic '") + topic +
                                      "': " + rd_kafka_topic_result_error_string(trs[i])};
    }
  }
  if (ev) rd_kafka_event_destroy(ev);
  rd_kafka_AdminOptions_destroy(opts);
  rd_kafka_queue_destroy(q);
  rd_kafka_NewTopic_destroy(nt);
  // The controller answers before every broker's metadata lists the new
  // topic; wait for it so the caller's next metadata request sees it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (st && !topic_listed(h, topic, timeout_ms) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
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
