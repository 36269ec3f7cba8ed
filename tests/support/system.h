// A whole Baton system for integration tests: every topic under a unique
// prefix on the fixture broker, the real service binaries as processes
// (each with a unique application id, state folder and admin port), and
// typed producers/readers for the protobuf contract.
#pragma once

#include <google/protobuf/message.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "baton/runtime/client.h"
#include "harness.h"

namespace baton::test {

class System {
 public:
  explicit System(const std::string& name);
  ~System();

  const std::string& prefix() const { return prefix_; }
  const std::string& dir() const { return dir_; }
  // prefix + default topic name, e.g. topic("baton.leads.captured").
  std::string topic(const std::string& name) const { return prefix_ + name; }
  // The application id (consumer group) start() gives a service.
  std::string application_id(const std::string& service) const {
    return "baton-" + service + "-" + app_suffix_;
  }

  // Runs `baton topics create --prefix` (every public topic, 6 partitions).
  void create_topics();
  // The example config of a service: services/<s>/config/<s>.example.yaml.
  static std::string example_config(const std::string& service);
  // Starts an instance ("router", "sla-monitor", "feedback"); config
  // defaults to the example. Returns its admin port.
  int start(const std::string& service, const std::string& instance,
            const std::string& config = "");
  Child& child(const std::string& service, const std::string& instance);
  int port(const std::string& service, const std::string& instance);
  // Sends a signal and waits for the exit; returns the exit code.
  std::optional<int> stop(const std::string& service, const std::string& instance, int sig);
  // True once every running instance answers /readyz with 200.
  bool all_ready(std::chrono::milliseconds timeout);

  // Produces a message (key, CloudEvents headers) to a topic given by its
  // default name (the prefix is added); flushes.
  void send(const std::string& topic_name, const std::string& key,
            const google::protobuf::Message& msg, const std::string& event_id = "");
  // Produces without flushing (many records); flush() waits for delivery.
  void send_async(const std::string& topic_name, const std::string& key,
                  const google::protobuf::Message& msg, const std::string& event_id);
  void flush();
  // Restarts the fixture broker (same port and data): scripts/kafka restart.
  void restart_broker();
  // Every running instance, as (service, instance).
  std::vector<std::pair<std::string, std::string>> instances();
  // Everything committed so far on a topic (read_committed), accumulated.
  const std::vector<runtime::Record>& read(
      const std::string& topic_name,
      std::chrono::milliseconds budget = std::chrono::milliseconds(300));
  // Everything on a topic now, read by a new consumer to the end: committed
  // records only, or every record (aborted and open transactions too). For a
  // failed test's forensics: did a missing record never exist, or was it
  // aborted, or did the accumulating reader miss it?
  std::vector<runtime::Record> read_fresh(const std::string& topic_name, bool read_committed);
  // Runs the baton CLI with the prefix and bootstrap; returns its exit code.
  int cli(const std::vector<std::string>& args, const std::string& log_name = "cli");

 private:
  // A reader of every partition of a topic, from the beginning.
  std::unique_ptr<runtime::client::TailConsumer> tail(const std::string& topic_name,
                                                      bool read_committed) const;
  // Appends what the reader gets until it is at the end or the budget passes.
  static void read_into(runtime::client::TailConsumer& c, std::chrono::milliseconds budget,
                        std::vector<runtime::Record>& into);
  std::string prefix_, dir_, app_suffix_;
  runtime::client::ClientConfig cc_;
  std::unique_ptr<runtime::client::PlainProducer> producer_;
  std::map<std::string, std::unique_ptr<Child>> children_;
  std::map<std::string, int> ports_;
  std::map<std::string, std::unique_ptr<runtime::client::TailConsumer>> tails_;
  std::map<std::string, std::vector<runtime::Record>> seen_;
};

}  // namespace baton::test
