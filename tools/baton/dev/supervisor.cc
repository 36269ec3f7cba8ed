#include "dev/supervisor.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <ostream>
#include <random>
#include <stdexcept>
#include <thread>

#include "dev/health.h"
#include "dev/state.h"

namespace baton::dev {
namespace {

namespace fs = std::filesystem;
using std::chrono::steady_clock;

const char* const kServices[] = {"router", "sla-monitor", "feedback"};
constexpr Millis kPoll{250};
constexpr Millis kProbeTimeout{2000};
constexpr Millis kBrokerStopTimeout{120000};

std::string secs(Millis m) { return std::to_string(m.count() / 1000) + " s"; }

void check_stop(const std::atomic<bool>& stop) {
  if (stop) throw std::runtime_error("interrupted");
}

// Runs a command to completion (bounded), its output appended to `log`.
void run_step(const std::string& what, std::vector<std::string> argv, const fs::path& log,
              Millis timeout, const std::atomic<bool>& stop) {
  Child c = Child::spawn({std::move(argv), log.string(), true, {}, true, Millis(10000)});
  const auto deadline = steady_clock::now() + timeout;
  while (c.running()) {
    check_stop(stop);
    if (steady_clock::now() >= deadline)
      throw std::runtime_error(what + " did not finish within " + secs(timeout) +
                               " (log: " + log.string() + ")");
    std::this_thread::sleep_for(Millis(100));
  }
  if (c.exit_code().value_or(1) != 0)
    throw std::runtime_error(what + " failed with exit code " +
                             std::to_string(c.exit_code().value_or(1)) + " (log: " + log.string() +
                             ")");
}

// The wanted port on 127.0.0.1 if it is free, else (or when 0) any free one.
int pick_port(int wanted) {
  for (int port : {wanted, 0}) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) break;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    socklen_t len = sizeof a;
    bool ok = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
              getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0;
    close(fd);
    if (ok) return ntohs(a.sin_port);
  }
  throw std::runtime_error("no free port on 127.0.0.1");
}

std::string random_token() {
  std::random_device rd;
  std::string t = "demo-";
  const char* hex = "0123456789abcdef";
  for (int i = 0; i < 32; ++i) t += hex[rd() % 16];
  return t;
}

std::string read_line(const fs::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  return line;
}

void stop_broker(const fs::path& root, const fs::path& kafka_dir, const fs::path& log) {
  static const std::atomic<bool> never{false};
  run_step("scripts/kafka stop", {(root / "scripts/kafka").string(), "stop", "--dir", kafka_dir},
           log, kBrokerStopTimeout, never);
}

// Stops the broker `up` started unless released (a failed `up` undoes it).
class BrokerGuard {
 public:
  BrokerGuard(fs::path root, fs::path kafka_dir, fs::path log)
      : root_(std::move(root)), kafka_dir_(std::move(kafka_dir)), log_(std::move(log)) {}
  ~BrokerGuard() {
    if (!active_) return;
    try {
      stop_broker(root_, kafka_dir_, log_);
    } catch (const std::exception&) {  // the failure of `up` is the message that matters
    }
  }
  BrokerGuard(const BrokerGuard&) = delete;
  BrokerGuard& operator=(const BrokerGuard&) = delete;
  void arm() { active_ = true; }
  void release() { active_ = false; }

 private:
  fs::path root_, kafka_dir_, log_;
  bool active_ = false;
};

// Removes the state file unless released.
class StateFileGuard {
 public:
  explicit StateFileGuard(fs::path p) : path_(std::move(p)) {}
  ~StateFileGuard() {
    std::error_code ec;
    if (active_) fs::remove(path_, ec);
  }
  StateFileGuard(const StateFileGuard&) = delete;
  StateFileGuard& operator=(const StateFileGuard&) = delete;
  void release() { active_ = false; }

 private:
  fs::path path_;
  bool active_ = true;
};

// Removes only what `up` puts in the run folder (never a folder's other files).
void wipe(const fs::path& dir) {
  for (const char* entry : {"logs", "state", "kafka", "query-tokens.yaml", "dev-state.json"})
    fs::remove_all(dir / entry);
}

// For `eval` in a shell: single quotes, an inner one as '\''.
std::string shell_quote(const std::string& v) {
  std::string q = "'";
  for (char c : v) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

DevState up(const UpOptions& o, const std::atomic<bool>& stop, std::ostream& out) {
  fs::create_directories(o.dir);
  const fs::path dir = fs::canonical(o.dir);
  const fs::path sp = state_path(dir);
  if (auto old = read_state(sp)) {
    bool any = false;
    for (const auto& s : old->services) any = any || alive(s.process);
    if (any && !o.fresh)
      throw std::runtime_error("already up in " + dir.string() +
                               " (baton dev status / baton dev down --dir " + dir.string() + ")");
    down(dir, o.grace, out);  // leftovers of an earlier run in this folder
  }
  const fs::path logs = dir / "logs";
  fs::create_directories(logs);
  if (o.fresh) {  // a broker of this folder that outlived its state file goes too
    if (o.bootstrap.empty() && fs::exists(dir / "kafka/kafka.pid"))
      stop_broker(o.root, dir / "kafka", logs / "kafka.log");
    wipe(dir);
    fs::create_directories(logs);
  }
  fs::create_directories(dir / "state");

  DevState st;
  st.dir = dir.string();
  st.prefix = o.prefix;
  st.root = o.root.string();
  st.bootstrap = o.bootstrap;
  StateFileGuard state_guard(sp);
  BrokerGuard broker(o.root, dir / "kafka", logs / "kafka.log");
  if (st.bootstrap.empty()) {
    st.kafka_dir = (dir / "kafka").string();
    out << "dev: starting Kafka (scripts/kafka start --dir " << st.kafka_dir << ")" << std::endl;
    broker.arm();
    write_state(sp, st);  // a `dev down` stops the broker even if this process is killed
    run_step("the broker (scripts/kafka start)",
             {(o.root / "scripts/kafka").string(), "start", "--dir", st.kafka_dir},
             logs / "kafka.log", o.step_timeout, stop);
    st.bootstrap = read_line(dir / "kafka/bootstrap");
    if (st.bootstrap.empty())
      throw std::runtime_error(
          "the broker wrote no bootstrap address (log: " + (logs / "kafka.log").string() + ")");
  }
  write_state(sp, st);
  out << "dev: broker " << st.bootstrap << std::endl;

  std::vector<std::string> cli = {(o.bin_dir / "baton").string(), "--bootstrap", st.bootstrap};
  if (!o.prefix.empty()) cli.insert(cli.end(), {"--prefix", o.prefix});
  auto with = [&](std::vector<std::string> args) {
    std::vector<std::string> v = cli;
    v.insert(v.end(), args.begin(), args.end());
    return v;
  };
  const fs::path samples = o.root / "tools/baton/samples";
  run_step("baton topics create", with({"topics", "create"}), logs / "topics.log", o.step_timeout,
           stop);
  run_step("baton roster load", with({"roster", "load", (samples / "reps.yaml").string()}),
           logs / "roster.log", o.step_timeout, stop);
  run_step("baton accounts load", with({"accounts", "load", (samples / "accounts.yaml").string()}),
           logs / "roster.log", o.step_timeout, stop);
  out << "dev: topics created; sample roster and accounts loaded" << std::endl;

  // Feedback's query listener serves `baton timeline`: plaintext on loopback
  // with a token made for this run (production: TLS, a Secret).
  st.query_token_file = (dir / "query-tokens.yaml").string();
  {
    std::ofstream tokens(st.query_token_file, std::ios::trunc);
    tokens << "tokens:\n  - name: demo\n    scopes: [leads:read, reports:read, pii:read]\n"
           << "    token: " << random_token() << "\n";
  }
  const std::string suffix =
      o.prefix.empty() ? "" : "-" + o.prefix.substr(0, o.prefix.find_last_not_of('.') + 1);
  std::vector<Child> children;
  try {
    int offset = 0;
    for (const char* name : kServices) {
      const int port = pick_port(o.port_base == 0 ? 0 : o.port_base + offset++);
      const std::string log = (logs / (std::string(name) + ".log")).string();
      std::vector<std::string> argv = {(o.bin_dir / ("baton-" + std::string(name))).string(),
                                       "--config",
                                       (o.root / "deploy/demo" / (std::string(name) + ".yaml")),
                                       "--instance-id",
                                       "demo-0",
                                       "--admin-port",
                                       std::to_string(port),
                                       "--state-dir",
                                       (dir / "state" / name).string(),
                                       "--application-id",
                                       "baton-" + std::string(name) + suffix};
      if (!o.prefix.empty()) argv.insert(argv.end(), {"--topic-prefix", o.prefix});
      if (std::string(name) == "feedback") {
        st.query_port = pick_port(o.port_base == 0 ? 0 : o.port_base + 102);
        argv.insert(argv.end(), {"--query-port", std::to_string(st.query_port),
                                 "--query-token-file", st.query_token_file, "--query-plaintext"});
      }
      children.push_back(Child::spawn(
          {argv, log, false, {{"BATON_KAFKA_BOOTSTRAP_SERVERS", st.bootstrap}}, true, o.grace}));
      const pid_t pid = children.back().pid();
      st.services.push_back({{name, pid, start_time_of(pid).value_or(0)}, port, log});
      write_state(sp, st);  // a `dev down` finds them even if this process is killed
    }
    out << "dev: started router :" << st.services[0].port
        << ", sla-monitor :" << st.services[1].port << ", feedback :" << st.services[2].port
        << "; waiting for /readyz (at most " << secs(o.ready_timeout) << ")" << std::endl;
    const auto deadline = steady_clock::now() + o.ready_timeout;
    for (;;) {
      check_stop(stop);
      std::optional<size_t> pending;  // the first service not ready yet
      for (size_t i = 0; i < children.size(); ++i) {
        const auto& s = st.services[i];
        if (!children[i].running())
          throw std::runtime_error("baton-" + s.process.name + " exited during start (exit code " +
                                   std::to_string(children[i].exit_code().value_or(-1)) +
                                   "; log: " + s.log + ")");
        if (!pending &&
            check_ready("127.0.0.1", s.port, kProbeTimeout).readiness != Readiness::kReady)
          pending = i;
      }
      if (!pending) break;
      if (steady_clock::now() >= deadline) {
        const auto& s = st.services[*pending];
        throw std::runtime_error("baton-" + s.process.name + " not ready after " +
                                 secs(o.ready_timeout) + " (log: " + s.log + ")");
      }
      std::this_thread::sleep_for(kPoll);
    }
  } catch (...) {
    for (auto& c : children) c.signal(SIGTERM);  // in parallel; the destructors wait
    throw;
  }
  for (auto& c : children) c.release();
  broker.release();
  state_guard.release();
  out << "dev: all three services ready; state in " << sp.string() << ", logs in " << logs.string()
      << std::endl;
  return st;
}

std::string query_token(const DevState& state) {
  // The one line "    token: X" that up() writes.
  std::ifstream in(state.query_token_file);
  for (std::string line; std::getline(in, line);) {
    const size_t at = line.find_first_not_of(' ');
    if (at != std::string::npos && line.compare(at, 7, "token: ") == 0) return line.substr(at + 7);
  }
  return {};
}

int status(const fs::path& dir, bool env, std::ostream& out) {
  auto st = read_state(state_path(dir));
  if (!st) {
    out << "nothing is up in " << dir.string() << "\n";
    return 1;
  }
  if (env) {
    out << "BATON_DEV_DIR=" << shell_quote(st->dir)
        << "\nBATON_DEV_BOOTSTRAP=" << shell_quote(st->bootstrap)
        << "\nBATON_DEV_PREFIX=" << shell_quote(st->prefix)
        << "\nBATON_DEV_QUERY=" << shell_quote("http://127.0.0.1:" + std::to_string(st->query_port))
        << "\nBATON_DEV_QUERY_TOKEN_FILE=" << shell_quote(st->query_token_file) << "\n";
    for (const auto& s : st->services) {
      std::string var = s.process.name == "sla-monitor" ? "SLA_MONITOR" : s.process.name;
      for (auto& ch : var) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      out << "BATON_DEV_PORT_" << var << "=" << s.port << "\n";
    }
    return 0;
  }
  bool gone = false, unready = false;
  for (const auto& s : st->services) {
    const bool up = alive(s.process);
    std::string health = "-";
    if (up) health = check_ready("127.0.0.1", s.port, kProbeTimeout).detail;
    gone = gone || !up;
    unready = unready || health != "ready";
    out << s.process.name << "\tpid " << s.process.pid << "\t" << (up ? "alive" : "gone") << "\t"
        << health << "\thttp://127.0.0.1:" << s.port << "/readyz\tlog " << s.log << "\n";
  }
  if (!st->kafka_dir.empty()) {
    const std::string pid = read_line(fs::path(st->kafka_dir) / "kafka.pid");
    const bool up = !pid.empty() && start_time_of(std::stoi(pid)).has_value();
    gone = gone || !up;
    out << "broker\tpid " << (pid.empty() ? "-" : pid) << "\t" << (up ? "alive" : "gone") << "\t"
        << st->bootstrap << "\n";
  } else {
    out << "broker\texternal\t" << st->bootstrap << "\n";
  }
  return gone ? 1 : unready ? 4 : 0;
}

void down(const fs::path& dir, Millis grace, std::ostream& out) {
  const fs::path sp = state_path(dir);
  auto st = read_state(sp);
  if (!st) {
    out << "dev: nothing is up in " << dir.string() << std::endl;
    return;
  }
  std::vector<ProcessRef> procs;
  for (const auto& s : st->services) procs.push_back(s.process);
  for (const auto& name : stop_all(procs, grace))
    out << "dev: " << name << " did not stop within " << secs(grace) << "; sent SIGKILL"
        << std::endl;
  if (!st->kafka_dir.empty()) {
    stop_broker(st->root, st->kafka_dir, fs::path(st->dir) / "logs/kafka.log");
    out << "dev: broker stopped" << std::endl;
  }
  fs::remove(sp);
  out << "dev: stopped (logs in " << (fs::path(st->dir) / "logs").string() << ")" << std::endl;
}

}  // namespace baton::dev
