#include "cli_common.h"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace baton::cli {

std::atomic<bool> g_stop{false};

namespace {
extern "C" void on_stop_signal(int) { g_stop.store(true); }
}  // namespace

void install_stop_handler() {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}

client::ClientConfig client_config(const Globals& g) {
  client::ClientConfig c = client::bootstrap_from_env();
  if (!g.bootstrap.empty()) c.bootstrap = g.bootstrap;
  c.timeout = std::chrono::milliseconds(static_cast<int64_t>(g.timeout_seconds * 1000));
  return c;
}

std::string topic(const Globals& g, TopicRole role) { return topic_name(role, g.prefix); }

int fail(const Error& error) {
  std::fprintf(stderr, "baton: %s\n", one_line(error.message).c_str());
  if (error.code == "kafka.unreachable") return kUnreachable;
  if (error.code.rfind("input.", 0) == 0 || error.code == "kafka.unknown_topic" ||
      error.code == "kafka.config")
    return kBadInput;
  return kRuntimeError;
}

Result<std::unique_ptr<client::PlainProducer>> open_producer(const Globals& g) {
  auto config = client_config(g);
  auto admin = client::Admin::connect(config);
  if (!admin) return admin.error();
  if (auto s = (*admin)->ping(); !s) return s.error();
  return client::PlainProducer::open(config);
}

Status send_event(client::PlainProducer& producer, const std::string& topic, const std::string& key,
                  const google::protobuf::Message& msg, const std::string& event_id,
                  const std::string& source, TimePoint time) {
  return producer.produce(
      topic, key, msg.SerializeAsString(),
      client::cloudevents_headers(event_id, msg.GetDescriptor()->full_name(), source, time));
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"input.file", path + ": cannot read the file"};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace baton::cli
