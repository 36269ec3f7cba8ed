// Client configuration from the environment, CloudEvents headers and the
// librdkafka error mapping shared by every client wrapper.
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "baton/runtime/headers.h"
#include "client/client_internal.h"
#include "kafka/conf.h"

extern char** environ;  // NOLINT

namespace baton::runtime::client {
namespace {

// Not a librdkafka property: carries an unreadable *_FILE variable from
// bootstrap_from_env to make_conf, which fails with it.
constexpr std::string_view kEnvErrorKey = "baton.env.error";

std::string seconds_text(std::chrono::milliseconds ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms.count()) / 1000.0);
  return buf;
}

}  // namespace

ClientConfig bootstrap_from_env(const std::vector<std::string>& environment) {
  ClientConfig config;
  // The services' mapping: BATON_KAFKA_<PROP>, secrets from *_FILE variables.
  std::vector<std::string> errors;
  config.properties = kafka::props_from_env(environment, &errors);
  if (auto it = config.properties.find("bootstrap.servers"); it != config.properties.end()) {
    if (!it->second.empty()) config.bootstrap = it->second;
    config.properties.erase(it);
  }
  if (!errors.empty()) config.properties[std::string(kEnvErrorKey)] = errors.front();
  return config;
}

ClientConfig bootstrap_from_env() {
  std::vector<std::string> environment;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) environment.emplace_back(*e);
  return bootstrap_from_env(environment);
}

std::vector<Header> cloudevents_headers(std::string_view event_id, std::string_view ce_type,
                                        std::string_view source, TimePoint time) {
  return runtime::cloudevents_headers(event_id, ce_type, source, time, "application/protobuf");
}

namespace detail {

void EventSink::event_cb(RdKafka::Event& event) {
  if (event.type() != RdKafka::Event::EVENT_ERROR &&
      !(event.type() == RdKafka::Event::EVENT_LOG &&
        event.severity() <= RdKafka::Event::EVENT_SEVERITY_ERROR))
    return;
  security_.observe(
      event.type() == RdKafka::Event::EVENT_ERROR ? event.err() : RdKafka::ERR_NO_ERROR,
      event.str());
  std::string text = event.str();
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::lock_guard lock(mu_);
  last_error_ = std::move(text);
}

std::string EventSink::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

Status set(RdKafka::Conf& conf, const std::string& name, const std::string& value) {
  std::string err;
  if (conf.set(name, value, err) != RdKafka::Conf::CONF_OK)
    return Error{"kafka.config", "librdkafka property " + name + ": " + err};
  return Status::ok();
}

Result<std::unique_ptr<RdKafka::Conf>> make_conf(const ClientConfig& config, EventSink* sink) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  auto timeout = std::to_string(std::max<int64_t>(config.timeout.count(), 10));
  const std::pair<std::string, std::string> defaults[] = {
      {"bootstrap.servers", config.bootstrap},
      {"client.id", "baton-cli"},
      {"socket.timeout.ms", timeout},
      {"socket.connection.setup.timeout.ms",
       std::to_string(std::max<int64_t>(config.timeout.count(), 1000))},
      {"log.connection.close", "false"},
      {"reconnect.backoff.max.ms", "1000"},
  };
  for (const auto& [k, v] : defaults)
    if (auto s = set(*conf, k, v); !s) return s.error();
  if (auto it = config.properties.find(std::string(kEnvErrorKey)); it != config.properties.end())
    return Error{"input.config", it->second};
  for (const auto& [k, v] : config.properties)
    if (auto s = set(*conf, k, v); !s) return s.error();
  if (sink != nullptr) {
    std::string err;
    if (conf->set("event_cb", static_cast<RdKafka::EventCb*>(sink), err) != RdKafka::Conf::CONF_OK)
      return Error{"kafka.config", "event_cb: " + err};
  }
  return conf;
}

bool is_unreachable(RdKafka::ErrorCode code) {
  switch (code) {
    case RdKafka::ERR__TRANSPORT:
    case RdKafka::ERR__TIMED_OUT:
    case RdKafka::ERR__ALL_BROKERS_DOWN:
    case RdKafka::ERR__RESOLVE:
    case RdKafka::ERR__MSG_TIMED_OUT:
    case RdKafka::ERR_REQUEST_TIMED_OUT:
      return true;
    default:
      return false;
  }
}

Error to_error(RdKafka::ErrorCode code, const std::string& what, const ClientConfig& config,
               const EventSink* sink) {
  if (is_unreachable(code)) {
    // Exit code 3 like an unreachable broker, but naming the real cause.
    if (auto why = sink != nullptr ? sink->security_failure() : std::string{}; !why.empty())
      return Error{"kafka.unreachable", what + ": " + config.bootstrap + ": " + why};
    std::string msg = what + ": no Kafka broker answered at " + config.bootstrap + " within " +
                      seconds_text(config.timeout);
    std::string last = sink != nullptr ? sink->last_error() : std::string{};
    if (!last.empty()) msg += " (" + last + ")";
    return Error{"kafka.unreachable", msg};
  }
  return Error{"kafka.error", what + ": " + RdKafka::err2str(code)};
}

Result<std::unique_ptr<RdKafka::Metadata>> fetch_metadata(RdKafka::Handle& handle,
                                                          const ClientConfig& config,
                                                          const EventSink* sink) {
  RdKafka::Metadata* raw = nullptr;
  auto code = handle.metadata(true, nullptr, &raw, static_cast<int>(config.timeout.count()));
  std::unique_ptr<RdKafka::Metadata> md(raw);
  if (code != RdKafka::ERR_NO_ERROR) return to_error(code, "metadata request", config, sink);
  return md;
}

}  // namespace detail
}  // namespace baton::runtime::client
