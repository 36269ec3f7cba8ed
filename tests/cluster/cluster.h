// A real 3-node KRaft cluster for fault tests (scripts/kafka start --brokers
// 3): ctest's fixture (BATON_TEST_CLUSTER_DIR) or, when the binary runs by
// itself, one started in a temp folder and stopped by the destructor. Every
// node command is scripts/kafka's, with its output in the log folder.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace baton::test {

class Cluster {
 public:
  static constexpr int kNodes = 3;
  // The fixture's cluster, or a fresh one (nullptr and a reason in *error
  // when it does not start). Points BATON_TEST_BOOTSTRAP_FILE at it, so a
  // System uses it.
  static std::unique_ptr<Cluster> open(std::string* error);
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  const std::string& dir() const { return dir_; }
  // A cluster of its own is deleted after its stop (call when every test passed).
  void discard_when_stopped() { discard_ = owned_; }
  // Where the node commands' output goes (a test points it at its System's dir).
  void set_log_dir(const std::string& d) { log_dir_ = d; }

  // scripts/kafka kill --node N --signal SIG (KILL, TERM, STOP, CONT).
  bool kill(int node, const std::string& sig = "KILL");
  // scripts/kafka start-node / restart-node: back as a broker, same data.
  bool start_node(int node);
  bool restart_node(int node);
  // Every node up (stopped ones started, stalled ones continued) and every
  // partition known to every broker and fully in sync.
  bool heal(std::chrono::seconds timeout = std::chrono::seconds(180));
  // Node ids (0 when the question has no answer now).
  int leader(const std::string& topic, int partition);
  int txn_coordinator(const std::string& transactional_id);
  int group_coordinator(const std::string& group);
  // "partitions=P replication=R min.insync.replicas=M" of a topic.
  std::string describe(const std::string& topic);

 private:
  Cluster(std::string dir, bool owned) : dir_(std::move(dir)), owned_(owned) {}
  // Runs scripts/kafka ARGS --dir DIR; its exit code, and its output in *out.
  int run(const std::vector<std::string>& args, std::string* out = nullptr,
          std::chrono::seconds timeout = std::chrono::seconds(300));
  int node_id(const std::vector<std::string>& args);
  std::string dir_, log_dir_;
  bool owned_, discard_ = false;
  std::atomic<int> runs_{0};
};

}  // namespace baton::test
