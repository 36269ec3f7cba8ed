// Test harness for integration tiers: the broker address, unique topic
// names, child processes (the real service binaries), admin HTTP and
// bounded, condition-based waits.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

// BATON_UNDER_ASAN: 1 in an AddressSanitizer build, GCC's or clang's, also in
// a test's own sources, which that build compiles without instrumentation
// (BATON_ASAN_BUILD, cmake/BatonTest.cmake).
#if defined(__SANITIZE_ADDRESS__) || defined(BATON_ASAN_BUILD)
#define BATON_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BATON_UNDER_ASAN 1
#endif
#endif

namespace baton::test {

// The fixture broker's bootstrap address (BATON_TEST_BOOTSTRAP_FILE).
std::string bootstrap();
// A name unique to this test run: prefix + pid + counter + random.
std::string unique_name(const std::string& prefix);
std::string bin_dir();
std::string source_dir();
// A fresh temporary folder (removed by the OS later; tests keep it for logs).
std::string temp_dir(const std::string& prefix);
void write_file(const std::string& path, const std::string& text);
std::string read_file(const std::string& path);
int free_port();

// Polls pred until true or timeout; returns the last result.
bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout,
                std::chrono::milliseconds every = std::chrono::milliseconds(50));

// A child process with stdout+stderr appended to a log file. RAII: the
// destructor kills it (SIGKILL) if still running.
class Child {
 public:
  Child(std::vector<std::string> argv, const std::map<std::string, std::string>& env,
        std::string log_path);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  pid_t pid() const { return pid_; }
  bool running();
  void signal(int sig);
  // Waits for exit; nullopt on timeout. Exit code, or 128+signal.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  const std::string& log_path() const { return log_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::string log_;
};

// GET http://127.0.0.1:port/path; nullopt when unreachable. On a service's
// admin port (one registered by query_listener_args), every path other than
// /metrics, /healthz and /readyz goes to that instance's query listener with
// `token` as its bearer token (default: the test token, every scope).
struct HttpResult {
  int status = 0;
  std::string body;
};
std::optional<HttpResult> http_get(int port, const std::string& path,
                                   const std::string& token = "");

// The query listener of a service started by a test: plaintext on a free
// port, with a token file in `dir` holding kTestQueryToken (leads:read,
// reports:read, pii:read). Returns the command-line arguments and remembers
// admin port -> query port for http_get.
inline constexpr const char* kTestQueryToken = "baton-test-query-token-all-scopes";
std::vector<std::string> query_listener_args(int admin_port, const std::string& dir);
// The query port registered for an admin port (0 when none).
int query_port_of(int admin_port);

// Resident memory of a process from /proc/<pid>/status, in MiB: VmHWM
// (peak) and VmRSS (now); 0 when the process is gone.
struct Rss {
  double hwm_mb = 0, rss_mb = 0;
};
Rss rss_of(pid_t pid);

// Deletes every topic whose name contains `part` (a run's unique name: its
// topic prefix and application ids hold it); returns how many, or -1 when
// the broker did not answer. Benchmarks clean up so that a broker kept for
// many runs does not grow (28 GB and 7,019 partitions after one day's runs).
int delete_topics_containing(const std::string& bootstrap, const std::string& part);

// Reads a metric's value (sum over its series matching the label filter
// text, e.g. "result=\"committed\""). nullopt when absent.
std::optional<double> metric(int port, const std::string& name, const std::string& filter = "");

}  // namespace baton::test
