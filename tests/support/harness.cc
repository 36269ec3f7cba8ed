#include "harness.h"

#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "baton/runtime/client.h"

extern char** environ;

namespace baton::test {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

std::string bootstrap() {
  const char* f = std::getenv("BATON_TEST_BOOTSTRAP_FILE");
  if (!f) throw std::runtime_error("BATON_TEST_BOOTSTRAP_FILE is not set (run through ctest)");
  auto s = read_file(f);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  if (s.empty()) throw std::runtime_error(std::string("no broker address in ") + f);
  return s;
}

std::string unique_name(const std::string& prefix) {
  static std::atomic<int> n{0};
  std::random_device rd;
  return prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(n++) + "-" +
         std::to_string(rd() % 100000);
}

std::string bin_dir() {
  const char* b = std::getenv("BATON_BIN_DIR");
  return b ? b : BATON_BIN_DIR;
}
std::string source_dir() {
  const char* s = std::getenv("BATON_SOURCE_DIR");
  return s ? s : BATON_SOURCE_DIR;
}

std::string temp_dir(const std::string& prefix) {
  auto base = std::filesystem::temp_directory_path() / unique_name("baton-" + prefix);
  std::filesystem::create_directories(base);
  return base.string();
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  (void)::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);  // getsockname tells
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  int port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout,
                std::chrono::milliseconds every) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() >= end) return pred();
    std::this_thread::sleep_for(every);
  }
}

Child::Child(std::vector<std::string> argv, const std::map<std::string, std::string>& env,
             std::string log_path)
    : log_(std::move(log_path)) {
  std::vector<std::string> envs;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    auto k = kv.substr(0, kv.find('='));
    if (!env.count(k)) envs.push_back(kv);
  }
  for (const auto& [k, v] : env) {
    std::string kv = k;
    kv.append("=").append(v);
    envs.push_back(std::move(kv));
  }
  std::vector<char*> av, ev;
  for (auto& a : argv) av.push_back(a.data());
  av.push_back(nullptr);
  for (auto& e : envs) ev.push_back(e.data());
  ev.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  int rc = posix_spawn(&pid_, av[0], &fa, nullptr, av.data(), ev.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
}

Child::~Child() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    wait(std::chrono::seconds(10));
  }
}

bool Child::running() {
  if (status_) return false;
  int st = 0;
  pid_t r = ::waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return false;
  }
  return true;
}

void Child::signal(int sig) {
  if (running()) ::kill(pid_, sig);
}

std::optional<int> Child::wait(std::chrono::milliseconds timeout) {
  wait_until([this] { return !running(); }, timeout, std::chrono::milliseconds(20));
  return status_;
}

namespace {
std::mutex query_ports_mu;
std::map<int, int> query_ports;  // admin port -> query port
}  // namespace

std::vector<std::string> query_listener_args(int admin_port, const std::string& dir) {
  std::filesystem::create_directories(dir);
  const std::string file = dir + "/query-tokens.yaml";
  if (!std::filesystem::exists(file)) {
    // Written once, atomically: instances already running read it.
    const std::string tmp = file + ".tmp";
    std::ofstream(tmp) << "tokens:\n  - name: test\n    scopes: [leads:read, reports:read, "
                          "pii:read]\n    token: "
                       << kTestQueryToken << "\n";
    std::filesystem::rename(tmp, file);
  }
  int qp = 0;
  {
    std::lock_guard lk(query_ports_mu);
    auto it = query_ports.find(admin_port);
    qp = it != query_ports.end() ? it->second : free_port();
    query_ports[admin_port] = qp;
  }
  return {"--query-port",
          std::to_string(qp),
          "--query-token-file",
          file,
          "--query-plaintext",
          "--query-advertise",
          "127.0.0.1:" + std::to_string(qp)};
}

int query_port_of(int admin_port) {
  std::lock_guard lk(query_ports_mu);
  auto it = query_ports.find(admin_port);
  return it == query_ports.end() ? 0 : it->second;
}

std::optional<HttpResult> http_get(int port, const std::string& path, const std::string& token) {
  const bool admin_path = path.rfind("/metrics", 0) == 0 || path.rfind("/healthz", 0) == 0 ||
                          path.rfind("/readyz", 0) == 0;
  httplib::Headers headers;
  if (!admin_path) {
    if (int qp = query_port_of(port); qp > 0) {
      port = qp;
      headers.emplace("Authorization",
                      std::string("Bearer ") + (token.empty() ? kTestQueryToken : token));
    }
  }
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(1, 0);
  c.set_read_timeout(5, 0);
  auto r = c.Get(path, headers);
  if (!r) return std::nullopt;
  return HttpResult{r->status, r->body};
}

std::optional<double> metric(int port, const std::string& name, const std::string& filter) {
  auto r = http_get(port, "/metrics");
  if (!r || r->status != 200) return std::nullopt;
  std::istringstream in(r->body);
  std::string line;
  std::optional<double> sum;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto sp = line.rfind(' ');
    auto series = line.substr(0, sp);
    auto base = series.substr(0, series.find('{'));
    if (base != name) continue;
    if (!filter.empty() && series.find(filter) == std::string::npos) continue;
    sum = sum.value_or(0) + std::stod(line.substr(sp + 1));
  }
  return sum;
}

Rss rss_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  Rss r;
  auto kb = [&](size_t skip) { return std::stod(line.substr(skip)) / 1024.0; };
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) r.hwm_mb = kb(6);
    if (line.rfind("VmRSS:", 0) == 0) r.rss_mb = kb(6);
  }
  return r;
}

int delete_topics_containing(const std::string& bootstrap, const std::string& part) {
  runtime::client::ClientConfig cc;
  cc.bootstrap = bootstrap;
  auto admin = runtime::client::Admin::connect(cc);
  if (!admin) return -1;
  auto all = (*admin)->list_topics();
  if (!all) return -1;
  std::vector<std::string> mine;
  for (const auto& t : *all)
    if (t.find(part) != std::string::npos) mine.push_back(t);
  return (*admin)->delete_topics(mine) ? static_cast<int>(mine.size()) : -1;
}

}  // namespace baton::test
