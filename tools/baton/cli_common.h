// What every `baton` command shares: global flags, exit codes, producing a
// protobuf event with CloudEvents headers.
#pragma once

#include <google/protobuf/message.h>

#include <atomic>
#include <memory>
#include <string>

#include "baton/runtime/client.h"
#include "proto_util.h"
#include "topics.h"

namespace baton::cli {

namespace client = runtime::client;

// Exit codes.
inline constexpr int kOk = 0;
inline constexpr int kRuntimeError = 1;
inline constexpr int kBadInput = 2;
inline constexpr int kUnreachable = 3;

struct Globals {
  std::string bootstrap;
  std::string prefix;  // prepended to every topic name
  double timeout_seconds = 8;
};

client::ClientConfig client_config(const Globals& g);
std::string topic(const Globals& g, TopicRole role);

// Prints "baton: <message>" (one line) to stderr; returns the exit code:
// 3 unreachable broker, 2 bad input / unknown topic, 1 otherwise.
int fail(const Error& error);

// Checks the broker answers (bounded), then opens a producer.
Result<std::unique_ptr<client::PlainProducer>> open_producer(const Globals& g);

// Produces one event keyed by `key` with CloudEvents headers.
Status send_event(client::PlainProducer& producer, const std::string& topic, const std::string& key,
                  const google::protobuf::Message& msg, const std::string& event_id,
                  const std::string& source, TimePoint time);

// Whole file, or error "input.file".
Result<std::string> read_file(const std::string& path);

// Set by SIGINT/SIGTERM (installed by install_stop_handler).
extern std::atomic<bool> g_stop;
void install_stop_handler();

}  // namespace baton::cli
