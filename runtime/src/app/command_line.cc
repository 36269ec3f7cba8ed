#include "app/command_line.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace baton::runtime {

std::optional<int> parse_command_line(const std::string& service, int argc, char** argv,
                                      CommandLine& cl) {
  CLI::App app{"Baton " + service + " service", "baton-" + service};
  app.footer(
      "Kafka properties may be overridden by BATON_KAFKA_<PROPERTY> variables\n"
      "(e.g. BATON_KAFKA_SECURITY_PROTOCOL=SASL_SSL); *_FILE reads a file.");
  app.add_option("--config", cl.config, "service config (YAML)")->required();
  app.add_flag("--check-config", cl.check_only, "validate the config and exit (0 ok, 2 invalid)");
  app.add_option("--instance-id", cl.instance_id,
                 "stable instance id (pod name); default $HOSTNAME");
  app.add_option("--admin-port", cl.admin_port, "admin HTTP port (0 = any free port)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--state-dir", cl.state_dir, "RocksDB state folder");
  app.add_option("--topic-prefix", cl.topic_prefix,
                 "prepended to every topic name (runtime.topic_prefix)");
  app.add_option("--application-id", cl.application_id,
                 "consumer group / changelog prefix (runtime.application_id)");
  app.add_option("--query-port", cl.query_port, "query listener port (runtime.query.port)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--query-token-file", cl.query_token_file,
                 "bearer tokens of the query listener (runtime.query.token_file)");
  app.add_flag("--query-plaintext", cl.query_plaintext,
               "query listener without TLS, local runs only (runtime.query.plaintext)");
  app.add_option("--query-advertise", cl.query_advertise,
                 "H:P other replicas reach the query listener at (runtime.query.advertise)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << "baton-" << service << ": " << e.what() << " (see --help)\n";
    return 2;
  }
  return std::nullopt;
}

}  // namespace baton::runtime
