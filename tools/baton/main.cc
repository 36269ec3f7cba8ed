// baton: the command line for Baton's topics (create, send, load, tail,
// timeline, generate, notify, dev). Exit codes: 0 ok, 1 runtime error, 2 usage or bad
// input, 3 broker unreachable.
#include <cstdio>
#include <exception>

#include "commands.h"

namespace {

int run(int argc, char** argv) {
  using namespace baton::cli;
  CLI::App app{
      "baton: create Baton's topics, send and tail events, replay a lead's timeline, "
      "generate realistic load.\nExit codes: 0 ok, 1 runtime error, 2 usage or bad "
      "input, 3 broker unreachable."};
  app.fallthrough();
  app.require_subcommand(1);
  Globals g;
  g.bootstrap = client_config(g).bootstrap;
  app.add_option("--bootstrap", g.bootstrap,
                 "Kafka bootstrap servers (env BATON_KAFKA_BOOTSTRAP_SERVERS; extra librdkafka "
                 "properties from env BATON_KAFKA_<PROP>)")
      ->capture_default_str();
  app.add_option("--prefix", g.prefix, "Prefix of every topic name (tests, multi-tenant)")
      ->envname("BATON_TOPIC_PREFIX");
  app.add_option("--kafka-timeout", g.timeout_seconds,
                 "Seconds before a broker that does not answer is reported unreachable")
      ->capture_default_str()
      ->check(CLI::Range(0.5, 300.0));
  int rc = kOk;
  add_topics_commands(app, g, rc);
  add_send_commands(app, g, rc);
  add_load_commands(app, g, rc);
  add_tail_command(app, g, rc);
  add_timeline_command(app, g, rc);
  add_generate_command(app, g, rc);
  add_notify_command(app, g, rc);
  add_dev_command(app, g, rc);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kOk : kBadInput;
  }
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  // A command that throws ends with one line and the runtime-error code, not
  // std::terminate.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "baton: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "baton: unknown error\n");
  }
  return baton::cli::kRuntimeError;
}
