#include "app/runtime_config.h"

#include <unistd.h>

#include "baton/v1/topics.h"
#include "kafka/conf.h"

namespace baton::runtime {

Result<RuntimeConfig> load_runtime_config(const ServiceSpec& spec, const CommandLine& cl,
                                          prometheus::Registry& registry) {
  RuntimeConfig rc;
  auto root = ConfigNode::load_file(cl.config);
  if (!root.errors().messages.empty()) return root.status().error();

  auto k = root.child("kafka");
  std::vector<std::string> env_errors;
  auto env = kafka::props_from_env(&env_errors);
  for (const auto& e : env_errors) k.error("properties", e);
  std::string bootstrap = k.str("bootstrap_servers", "");
  rc.engine.kafka = k.str_map("properties");
  if (!bootstrap.empty()) rc.engine.kafka["bootstrap.servers"] = bootstrap;
  for (const auto& [p, v] : env) rc.engine.kafka[p] = v;
  if (!rc.engine.kafka.count("bootstrap.servers"))
    k.error("bootstrap_servers",
            "required: set kafka.bootstrap_servers or BATON_KAFKA_BOOTSTRAP_SERVERS");
  if (auto conf = kafka::make_conf(rc.engine.kafka); !conf)
    k.error("properties", conf.error().message);
  k.done();

  auto r = root.child("runtime");
  rc.engine.service = spec.name;
  rc.engine.application_id = r.str("application_id", "baton-" + spec.name);
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  std::string def_instance = std::getenv("HOSTNAME") ? std::getenv("HOSTNAME") : host;
  rc.engine.instance_id = r.str("instance_id", def_instance.empty() ? "0" : def_instance);
  if (!cl.instance_id.empty()) rc.engine.instance_id = cl.instance_id;
  rc.engine.state_dir = r.str("state_dir", "/var/lib/baton");
  if (!cl.state_dir.empty()) rc.engine.state_dir = cl.state_dir;
  rc.engine.state_dir += "/" + rc.engine.instance_id;
  rc.admin_host = r.str("admin_host", "0.0.0.0");
  rc.admin_port = static_cast<int>(r.integer("admin_port", 8080, 0, 65535));
  if (cl.admin_port >= 0) rc.admin_port = cl.admin_port;
  rc.engine.commit_interval = r.duration("commit_interval", std::chrono::milliseconds(100));
  if (rc.engine.commit_interval.count() <= 0) r.error("commit_interval", "expected > 0");
  rc.engine.commit_max_records =
      static_cast<size_t>(r.integer("commit_max_records", 20000, 1, 1000000));
  rc.engine.commit_when_idle = r.boolean("commit_when_idle", true);
  rc.engine.state_cache_bytes = static_cast<size_t>(r.integer("state_cache_mb", 64, 8, 1 << 20))
                                << 20;
  rc.engine.dlq_topic = r.str("dead_letter_topic", v1::topics::kDeadLetters);
  rc.engine.dlq_retention = r.duration("dead_letter_retention", std::chrono::hours(24 * 7));
  if (rc.engine.dlq_retention.count() <= 0) r.error("dead_letter_retention", "expected > 0");
  rc.engine.topic_prefix = r.str("topic_prefix", "");
  if (!cl.topic_prefix.empty()) rc.engine.topic_prefix = cl.topic_prefix;
  if (!cl.application_id.empty()) rc.engine.application_id = cl.application_id;
  rc.engine.dedup_window = r.duration("dedup_window", std::chrono::hours(24 * 7));
  // Output topics written as JSON (proto3 JSON mapping) instead of protobuf,
  // for readers such as Kafka Connect's JSON converter.
  for (auto& t : r.str_list("json_output_topics")) rc.engine.json_topics.insert(std::move(t));
  rc.engine.timer_tick = r.duration("timer_tick", std::chrono::milliseconds(50));
  if (rc.engine.timer_tick.count() <= 0) r.error("timer_tick", "expected > 0");
  rc.shutdown_grace = r.duration("shutdown_grace", std::chrono::seconds(30));
  rc.log_level = log::parse_level(r.one_of("log_level", "info", {"debug", "info", "warn", "error"}),
                                  log::Level::info);
  // The query listener (TLS, bearer tokens; off without a token file).
  auto q = r.child("query");
  rc.query.host = q.str("host", rc.admin_host);
  rc.query.port = static_cast<int>(q.integer("port", 8443, 0, 65535));
  if (cl.query_port >= 0) rc.query.port = cl.query_port;
  rc.query.token_file = q.str("token_file", "");
  if (!cl.query_token_file.empty()) rc.query.token_file = cl.query_token_file;
  rc.query.tls_cert_file = q.str("tls_cert_file", "");
  rc.query.tls_key_file = q.str("tls_key_file", "");
  rc.query.plaintext = q.boolean("plaintext", false) || cl.query_plaintext;
  rc.query.reload_interval = q.duration("token_reload_interval", std::chrono::seconds(2));
  // Replicas answer each other's queries (docs/operations.md): the address
  // the others reach this listener at, and the CA their certificates chain to.
  rc.query.advertise = q.str("advertise", "");
  if (!cl.query_advertise.empty()) rc.query.advertise = cl.query_advertise;
  rc.query.peer_ca_file = q.str("peer_ca_file", "");
  if (rc.query.reload_interval.count() <= 0) q.error("token_reload_interval", "expected > 0");
  if (auto s = query::validate(rc.query); !s) q.error(s.error().code.substr(14), s.error().message);
  q.done();
  r.done();

  auto section = root.child(spec.name);
  rc.processors = spec.make(section, registry);
  section.done();
  root.done();
  if (auto s = root.status(); !s) return s.error();
  if (rc.processors.empty()) return Error{"config.invalid", spec.name + ": no processors"};
  return rc;
}

}  // namespace baton::runtime
