#include "dev/child.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

extern char** environ;

namespace baton::dev {
namespace {

constexpr Millis kPoll{20};

// Frees the posix_spawn attributes and file actions on every path.
struct SpawnSetup {
  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  SpawnSetup() {
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_init(&actions);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

std::vector<std::string> merged_env(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string kv = *e;
    std::string key = kv.substr(0, kv.find('='));
    if (extra.count(key) == 0) out.push_back(std::move(kv));
  }
  for (const auto& [k, v] : extra) out.push_back(std::string(k).append("=").append(v));
  return out;
}

std::vector<char*> c_array(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

Child Child::spawn(const SpawnOptions& options) {
  if (options.argv.empty()) throw std::runtime_error("spawn: no command");
  SpawnSetup setup;
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (options.new_session) flags |= POSIX_SPAWN_SETSID;
  posix_spawnattr_setflags(&setup.attr, flags);
  sigset_t none, defaults;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&setup.attr, &none);
  sigemptyset(&defaults);
  for (int sig : {SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT, SIGCHLD}) sigaddset(&defaults, sig);
  posix_spawnattr_setsigdefault(&setup.attr, &defaults);
  const std::string log = options.log_path.empty() ? "/dev/null" : options.log_path;
  const int log_flags = O_WRONLY | O_CREAT | (options.append_log ? O_APPEND : O_TRUNC);
  posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&setup.actions, STDOUT_FILENO, log.c_str(), log_flags, 0644);
  posix_spawn_file_actions_adddup2(&setup.actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<std::string> args = options.argv;
  std::vector<std::string> env = merged_env(options.env);
  std::vector<char*> c_args = c_array(args);
  std::vector<char*> c_env = c_array(env);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, c_args[0], &setup.actions, &setup.attr, c_args.data(), c_env.data());
  if (rc != 0) {
    throw std::runtime_error("cannot start " + options.argv[0] + ": " + std::strerror(rc) +
                             (options.log_path.empty() ? "" : " (log: " + options.log_path + ")"));
  }
  return Child(pid, options.grace);
}

Child::Child(Child&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), grace_(other.grace_), exit_code_(other.exit_code_) {}

Child& Child::operator=(Child&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) terminate(grace_);
    pid_ = std::exchange(other.pid_, -1);
    grace_ = other.grace_;
    exit_code_ = other.exit_code_;
  }
  return *this;
}

Child::~Child() {
  if (pid_ > 0) terminate(grace_);
}

void Child::reap(int status) {
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  pid_ = -1;
}

bool Child::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    reap(status);
    return false;
  }
  if (r < 0) {  // not our child any more (cannot happen unless reaped elsewhere)
    pid_ = -1;
    return false;
  }
  return true;
}

std::optional<int> Child::wait_for(Millis timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPoll);
  }
  return exit_code_;
}

bool Child::terminate(Millis grace) {
  if (!running()) return false;
  kill(pid_, SIGTERM);
  if (wait_for(grace)) return false;
  kill(pid_, SIGKILL);
  int status = 0;
  if (waitpid(pid_, &status, 0) == pid_) reap(status);
  pid_ = -1;
  return true;
}

void Child::signal(int sig) {
  if (running()) kill(pid_, sig);
}

pid_t Child::release() { return std::exchange(pid_, -1); }

std::optional<uint64_t> start_time_of(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  auto close = line.rfind(')');  // the command name may hold spaces and parentheses
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(close + 1));
  std::string field;
  std::vector<std::string> f;  // f[0] is field 3 (state), f[19] is field 22 (start time)
  while (fields >> field && f.size() < 20) f.push_back(field);
  if (f.size() < 20 || f[0] == "Z" || f[0] == "X") return std::nullopt;
  return std::stoull(f[19]);
}

bool alive(const ProcessRef& p) {
  auto t = start_time_of(p.pid);
  return t && *t == p.start_time;
}

std::vector<std::string> stop_all(const std::vector<ProcessRef>& procs, Millis grace) {
  auto any_alive = [&] {
    for (const auto& p : procs)
      if (alive(p)) return true;
    return false;
  };
  auto wait_until_gone = [&](Millis bound) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (any_alive() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(kPoll * 5);
  };
  for (const auto& p : procs)
    if (alive(p)) kill(p.pid, SIGTERM);
  wait_until_gone(grace);
  std::vector<std::string> killed;
  for (const auto& p : procs) {
    if (alive(p)) {
      kill(p.pid, SIGKILL);
      killed.push_back(p.name);
    }
  }
  if (!killed.empty()) wait_until_gone(Millis(5000));
  return killed;
}

}  // namespace baton::dev
