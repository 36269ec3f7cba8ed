#include "dev/demo.h"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "absl/strings/str_join.h"
#include "dev/child.h"
#include "dev/stream_view.h"

namespace baton::dev {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr Millis kPoll{250};
constexpr Millis kChildGrace{5000};
constexpr Millis kSettle{2000};  // the last committed events reach the stream
constexpr Millis kTimelineTimeout{30000};
constexpr Millis kStatusEvery{2000};

// The complete lines appended to a file since the last call.
class Follower {
 public:
  explicit Follower(fs::path path) : path_(std::move(path)) {}
  std::vector<std::string> poll() {
    std::vector<std::string> lines;
    std::ifstream in(path_, std::ios::binary);
    if (!in) return lines;
    in.seekg(offset_);
    std::string chunk{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    offset_ += static_cast<std::streamoff>(chunk.size());
    partial_ += chunk;
    size_t start = 0;
    for (size_t nl = partial_.find('\n'); nl != std::string::npos;
         nl = partial_.find('\n', start)) {
      lines.push_back(partial_.substr(start, nl - start));
      start = nl + 1;
    }
    partial_.erase(0, start);
    return lines;
  }

 private:
  fs::path path_;
  std::streamoff offset_ = 0;
  std::string partial_;
};

class Session {
 public:
  enum class Ending { kDone, kKeep, kInterrupted };

  Session(const DemoOptions& o, const std::atomic<bool>& stop, std::ostream& out)
      : o_(o), stop_(stop), out_(out), view_(o.until), baton_((o.up.bin_dir / "baton").string()) {}

  int run() {
    step("baton dev up --dir " + o_.up.dir.string() +
         " (broker, topics, roster, services; baton dev --help)");
    try {
      st_ = up(o_.up, stop_, out_);
    } catch (const std::exception&) {
      if (stop_) return 130;  // `up` undid what it started
      throw;
    }
    dir_ = st_.dir;
    try {
      const Ending e = play();
      if (e == Ending::kKeep) {
        step("still running; stop it with: " + baton_ + " dev down --dir " + dir_.string());
        return 0;
      }
      finish();
      return e == Ending::kInterrupted ? 130 : 0;
    } catch (const std::exception&) {
      try {
        finish();
      } catch (const std::exception& e) {
        out_ << "baton: dev down: " << e.what() << std::endl;
      }
      if (stop_) return 130;
      throw;
    }
  }

 private:
  void step(const std::string& what) {
    const auto s = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - t0_).count();
    char head[32];
    std::snprintf(head, sizeof head, "[demo %3lld s] ", static_cast<long long>(s));
    out_ << head << what << std::endl;
  }

  // Prints what is new in the stream.
  void show() {
    for (const auto& line : stream_->poll())
      if (auto shown = view_.take(line, o_.colour)) out_ << *shown << "\n";
    out_.flush();
  }

  // Shows the stream for `d`; false when Ctrl-C came first.
  bool show_for(Millis d) {
    for (const auto end = Clock::now() + d; Clock::now() < end;) {
      if (stop_) return false;
      show();
      std::this_thread::sleep_for(kPoll);
    }
    return true;
  }

  std::vector<std::string> cli(std::initializer_list<std::string> args) const {
    std::vector<std::string> v = {baton_, "--bootstrap", st_.bootstrap};
    if (!st_.prefix.empty()) v.insert(v.end(), {"--prefix", st_.prefix});
    v.insert(v.end(), args);
    return v;
  }

  std::string cli_text() const {
    return "--bootstrap " + st_.bootstrap + (st_.prefix.empty() ? "" : " --prefix " + st_.prefix);
  }

  Child spawn(std::vector<std::string> argv, const std::string& log,
              std::map<std::string, std::string> env = {}) const {
    // In the demo's process group: a terminal's Ctrl-C reaches them too.
    return Child::spawn({std::move(argv), (dir_ / "logs" / log).string(), false, std::move(env),
                         false, kChildGrace});
  }

  Ending play() {
    tail_ = spawn(cli({"tail", "all", "--pretty"}), "stream.log");
    stream_.emplace(dir_ / "logs/stream.log");
    const std::string seed = !o_.seed.empty() ? o_.seed
                             : o_.up.fresh    ? "1"
                                              : std::to_string(std::time(nullptr));
    step("baton generate --rate " + o_.rate + " --count " + o_.count + " --seed " + seed +
         " --time-scale " + o_.time_scale + " (simulated reps touch fast, slowly or never)");
    Child gen = spawn(cli({"generate", "--rate", o_.rate, "--count", o_.count, "--seed", seed,
                           "--time-scale", o_.time_scale, "--no-roster"}),
                      "generate.log");
    const auto started = Clock::now();
    while (gen.running()) {
      if (stop_) return Ending::kInterrupted;
      show();
      if (o_.duration_s > 0 && Clock::now() - started >= std::chrono::seconds(o_.duration_s)) {
        step("--duration " + std::to_string(o_.duration_s) + " reached");
        break;
      }
      if (!o_.until.empty() && view_.all_seen(o_.until)) {
        step("seen " + absl::StrJoin(o_.until, ","));
        break;
      }
      std::this_thread::sleep_for(kPoll);
    }
    if (stop_) return Ending::kInterrupted;
    if (gen.running()) {
      gen.terminate(kChildGrace);
    } else if (gen.exit_code().value_or(1) != 0) {
      throw std::runtime_error(
          "baton generate failed (log: " + (dir_ / "logs/generate.log").string() + ")");
    }
    step("the load is over");
    if (!show_for(kSettle)) return Ending::kInterrupted;
    if (o_.headless || o_.keep) {
      tail_.terminate(kChildGrace);
      show();
    }
    report();
    if (o_.headless) return Ending::kDone;
    if (o_.keep) return Ending::kKeep;
    step(
        "the services keep running (the stream continues); press Ctrl-C to stop everything "
        "(baton dev down)");
    while (show_for(kStatusEvery)) {
      std::stringstream health;
      if (status(dir_, false, health) != 1) continue;
      std::string gone;
      for (std::string line; std::getline(health, line);)
        if (line.find("\tgone") != std::string::npos) gone += (gone.empty() ? "" : "; ") + line;
      throw std::runtime_error("a service stopped: " + gone);
    }
    return Ending::kInterrupted;
  }

  // What happened, where to look, and one lead's timeline.
  void report() {
    const std::string lead = view_.lead_to_show();
    view_.summary(out_);
    int ports[3] = {0, 0, 0};
    for (const auto& s : st_.services)
      ports[s.process.name == "router" ? 0 : s.process.name == "sla-monitor" ? 1 : 2] = s.port;
    const std::string query = "http://127.0.0.1:" + std::to_string(st_.query_port);
    out_ << "== Where to look ==\n"
         << "  metrics: http://127.0.0.1:" << ports[0] << "/metrics, :" << ports[1]
         << "/metrics, :" << ports[2] << "/metrics (router, sla-monitor, feedback)\n"
         << "  health:  " << baton_ << " dev status --dir " << dir_.string() << "\n";
    if (!lead.empty())
      out_ << "  timeline: BATON_QUERY_TOKEN=$(sed -n 's/ *token: //p' " << st_.query_token_file
           << ") " << baton_ << " " << cli_text() << " timeline " << lead << " --query " << query
           << "\n";
    out_ << "  events:  " << baton_ << " " << cli_text() << " tail all --pretty --from-beginning\n"
         << "  logs:    " << (dir_ / "logs").string() << "/ (stream.log has every event)"
         << std::endl;
    if (lead.empty()) return;
    out_ << "== baton timeline " << lead << " ==" << std::endl;
    Child t = spawn(cli({"timeline", "--query", query, lead}), "timeline.log",
                    {{"BATON_QUERY_TOKEN", query_token(st_)}});
    const auto rc = t.wait_for(kTimelineTimeout);
    std::ifstream in(dir_ / "logs/timeline.log");
    out_ << in.rdbuf() << std::flush;
    if (rc != std::optional<int>(0)) out_ << "baton timeline failed" << std::endl;
  }

  // Stops the stream, then what `dev up` started.
  void finish() {
    tail_ = Child();
    out_ << "\n";
    step("stopping what the demo started");
    down(dir_, o_.up.grace, out_);
  }

  const DemoOptions& o_;
  const std::atomic<bool>& stop_;
  std::ostream& out_;
  StreamView view_;
  std::string baton_;
  Clock::time_point t0_ = Clock::now();
  fs::path dir_;
  DevState st_;
  Child tail_;
  std::optional<Follower> stream_;
};

}  // namespace

int demo(const DemoOptions& o, const std::atomic<bool>& stop, std::ostream& out) {
  return Session(o, stop, out).run();
}

}  // namespace baton::dev
