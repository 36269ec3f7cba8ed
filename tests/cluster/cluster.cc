#include "cluster.h"

#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "harness.h"

namespace baton::test {

using namespace std::chrono_literals;

std::unique_ptr<Cluster> Cluster::open(std::string* error) {
  std::unique_ptr<Cluster> c;
  if (const char* d = std::getenv("BATON_TEST_CLUSTER_DIR"); d && *d) {
    // ctest's fixture (cluster_ThreeBroker_start) started it.
    c.reset(new Cluster(d, false));
  } else {
    c.reset(new Cluster(temp_dir("three-broker") + "/kafka", true));
  }
  c->log_dir_ = c->dir_ + "/commands";
  std::filesystem::create_directories(c->log_dir_);
  std::string out;
  if (c->run({"start", "--brokers", std::to_string(kNodes)}, &out) != 0) {
    *error = "scripts/kafka start --brokers 3 failed:\n" + out;
    return nullptr;
  }
  ::setenv("BATON_TEST_BOOTSTRAP_FILE", (c->dir_ + "/bootstrap").c_str(), 1);
  return c;
}

Cluster::~Cluster() {
  if (!owned_) return;
  run({"stop"}, nullptr, 120s);
  std::error_code ec;
  if (discard_ && !std::getenv("BATON_KEEP_TEST_DIRS"))
    std::filesystem::remove_all(std::filesystem::path(dir_).parent_path(), ec);
}

int Cluster::run(const std::vector<std::string>& args, std::string* out,
                 std::chrono::seconds timeout) {
  std::vector<std::string> argv{source_dir() + "/scripts/kafka"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--dir");
  argv.push_back(dir_);
  std::filesystem::create_directories(log_dir_);
  auto log = log_dir_ + "/kafka-" + std::to_string(++runs_) + "-" + args.front() + ".log";
  Child c(argv, {}, log);
  auto rc = c.wait(timeout);
  if (!rc) c.signal(SIGKILL);
  if (out) *out = read_file(log);
  return rc.value_or(-1);
}

bool Cluster::kill(int node, const std::string& sig) {
  return run({"kill", "--node", std::to_string(node), "--signal", sig}) == 0;
}

bool Cluster::start_node(int node) {
  return run({"start-node", "--node", std::to_string(node)}) == 0;
}

bool Cluster::restart_node(int node) {
  return run({"restart-node", "--node", std::to_string(node)}) == 0;
}

bool Cluster::heal(std::chrono::seconds timeout) {
  return run({"start"}) == 0 && run({"await-isr", "--timeout", std::to_string(timeout.count())},
                                    nullptr, timeout + 30s) == 0;
}

int Cluster::node_id(const std::vector<std::string>& args) {
  std::string out;
  if (run(args, &out, 120s) != 0) return 0;
  // The answer is the last line that is a number (warnings may precede it).
  std::istringstream in(out);
  std::string line;
  int id = 0;
  while (std::getline(in, line))
    if (!line.empty() && line.find_first_not_of("0123456789") == std::string::npos)
      id = std::stoi(line);
  return id >= 1 && id <= kNodes ? id : 0;
}

int Cluster::leader(const std::string& topic, int partition) {
  return node_id({"leader", "--topic", topic, "--partition", std::to_string(partition)});
}

int Cluster::txn_coordinator(const std::string& transactional_id) {
  return node_id({"coordinator", "--transactional-id", transactional_id});
}

int Cluster::group_coordinator(const std::string& group) {
  return node_id({"coordinator", "--group", group});
}

std::string Cluster::describe(const std::string& topic) {
  std::string out;
  run({"describe", "--topic", topic}, &out, 120s);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace baton::test
