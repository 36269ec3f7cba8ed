// A child process owned by a handle (RAII): spawned with its stdout and
// stderr in a log file, terminated in the destructor (SIGTERM, a bounded
// wait, then SIGKILL) unless released. Also: a process this program did not
// start, named by pid and start time, and how to stop a set of them.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace baton::dev {

using Millis = std::chrono::milliseconds;

struct SpawnOptions {
  std::vector<std::string> argv;           // argv[0] is looked up in PATH
  std::string log_path;                    // stdout and stderr; empty: /dev/null
  bool append_log = false;                 // else the log is truncated
  std::map<std::string, std::string> env;  // added to (or replacing) this environment
  bool new_session = true;                 // setsid: a terminal's Ctrl-C does not reach it
  Millis grace{10000};                     // SIGTERM to SIGKILL in the destructor
};

class Child {
 public:
  // Throws std::runtime_error naming argv[0] when the process cannot start.
  static Child spawn(const SpawnOptions& options);

  Child() = default;
  Child(Child&& other) noexcept;
  Child& operator=(Child&& other) noexcept;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child();

  pid_t pid() const { return pid_; }
  // False once the process exited (it is reaped then; exit_code() tells how).
  bool running();
  // The exit code, or 128 + signal; empty while it runs (or when released).
  std::optional<int> exit_code() const { return exit_code_; }
  // Waits (bounded) for the process to exit; its exit code, or empty at the deadline.
  std::optional<int> wait_for(Millis timeout);
  // SIGTERM, up to `grace` for it to exit, then SIGKILL. True when SIGKILL was needed.
  bool terminate(Millis grace);
  // Sends a signal if it still runs (it stays owned).
  void signal(int sig);
  // Stops owning the process (it keeps running); returns its pid.
  pid_t release();

 private:
  explicit Child(pid_t pid, Millis grace) : pid_(pid), grace_(grace) {}
  void reap(int status);

  pid_t pid_ = -1;
  Millis grace_{10000};
  std::optional<int> exit_code_;
};

// A process by pid and start time (/proc/<pid>/stat field 22), so that a pid
// the kernel reused for another process never matches.
struct ProcessRef {
  std::string name;
  pid_t pid = 0;
  uint64_t start_time = 0;
};

// The start time of a live (not zombie) process; empty when it is gone.
std::optional<uint64_t> start_time_of(pid_t pid);
bool alive(const ProcessRef& p);

// SIGTERM to each live one, up to `grace` for all to exit, then SIGKILL to the
// rest (and a short bounded wait for them). Returns the names that needed SIGKILL.
std::vector<std::string> stop_all(const std::vector<ProcessRef>& procs, Millis grace);

}  // namespace baton::dev
