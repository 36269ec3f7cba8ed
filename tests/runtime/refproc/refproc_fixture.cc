#include "refproc/refproc_fixture.h"

#include <signal.h>

#include <random>
#include <thread>

namespace baton::test {

using namespace std::chrono_literals;
namespace client = runtime::client;

void RefProcFixture::SetUp() {
  cc_.bootstrap = bootstrap();
  in_ = unique_name("ref-in");
  out_ = unique_name("ref-out");
  timers_ = unique_name("ref-timers");
  app_ = unique_name("ref-app");
  dir_ = temp_dir("refproc");
  auto admin = client::Admin::connect(cc_);
  ASSERT_TRUE(admin) << admin.error().message;
  std::vector<client::TopicSpec> specs(3);
  specs[0].name = in_;
  specs[0].partitions = 4;
  specs[1].name = out_;
  specs[1].partitions = 4;
  specs[2].name = timers_;
  specs[2].partitions = 2;
  auto made = (*admin)->create_topics(specs);
  ASSERT_TRUE(made) << made.error().message;
  config_ = dir_ + "/refproc.yaml";
  write_file(config_, "kafka:\n  bootstrap_servers: " + cc_.bootstrap +
                          "\nruntime:\n  application_id: " + app_ + "\n  state_dir: " + dir_ +
                          "/state\n  commit_interval: 50ms\n  shutdown_grace: 20s\n"
                          "  dead_letter_topic: " +
                          app_ +
                          "-dlq\n"
                          "refproc:\n  input_topic: " +
                          in_ + "\n  output_topic: " + out_ + "\n  timer_topic: " + timers_ + "\n");
  auto p = client::PlainProducer::open(cc_);
  ASSERT_TRUE(p) << p.error().message;
  producer_ = std::move(p.value());
}

void RefProcFixture::produce_inputs(int64_t first_seq, int64_t n, int keys) {
  for (int64_t i = first_seq; i < first_seq + n; ++i) {
    std::string key = "k" + std::to_string(i % keys);
    int64_t amount = i % 7 + 1;
    ASSERT_TRUE(producer_->produce(in_, key, std::to_string(i) + ":" + std::to_string(amount)));
    oracle_.count[key] += 1;
    oracle_.sum[key] += amount;
    oracle_.inputs += 1;
  }
  ASSERT_TRUE(producer_->flush(30s));
}

void RefProcFixture::produce_raw(const std::string& key, const std::string& value) {
  ASSERT_TRUE(producer_->produce(in_, key, value));
  ASSERT_TRUE(producer_->flush(10s));
}

std::unique_ptr<Child> RefProcFixture::start_instance(const std::string& instance, int admin_port,
                                                      const std::string& binary) {
  std::vector<std::string> argv{bin_dir() + "/" + binary,  "--config", config_,
                                "--instance-id",           instance,   "--admin-port",
                                std::to_string(admin_port)};
  for (auto& a : query_listener_args(admin_port, dir_)) argv.push_back(std::move(a));
  const std::string log =
      dir_ + "/" + instance + (binary == "baton-refproc" ? "" : "-" + binary) + ".log";
  return std::make_unique<Child>(argv, std::map<std::string, std::string>{}, log);
}

void RefProcFixture::drain(const std::string& topic, std::vector<runtime::Record>& into,
                           std::chrono::milliseconds budget) {
  auto& t = tails_[topic];
  if (!t) {
    client::TailOptions o;
    o.topics = {topic};
    auto c = client::TailConsumer::open(cc_, o);
    ASSERT_TRUE(c) << c.error().message;
    t = std::move(c.value());
  }
  auto end = std::chrono::steady_clock::now() + budget;
  while (std::chrono::steady_clock::now() < end) {
    auto r = t->poll(100ms);
    ASSERT_TRUE(r) << r.error().message;
    if (!r->has_value()) {
      if (t->at_end()) break;
      continue;
    }
    into.push_back(std::move(**r));
  }
}

int RefProcFixture::kill_at_random(int rounds, size_t total, int admin_port,
                                   const std::function<void()>& each) {
  std::mt19937 rng(std::random_device{}());
  int kills = 0;
  for (int round = 0; round < rounds; ++round) {
    auto child = start_instance("i0", admin_port);
    size_t before = outs_.size();
    size_t step = 500 + rng() % 3500;
    // Kill once the instance made random progress (or the deadline passed).
    wait_until(
        [&] {
          drain(out_, outs_, 100ms);
          return outs_.size() >= before + step || outs_.size() >= total;
        },
        60s, 10ms);
    if (each) each();
    // A random moment within the next transaction(s).
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 150));
    child->signal(SIGKILL);
    EXPECT_TRUE(child->wait(10s).has_value());
    ++kills;
  }
  return kills;
}

void RefProcFixture::finish(size_t total, int admin_port, const std::function<void()>& each) {
  auto last = start_instance("i0", admin_port);
  ASSERT_TRUE(wait_until(
      [&] {
        drain(out_, outs_, 200ms);
        drain(timers_, ticks_, 200ms);
        return outs_.size() >= total &&
               ticks_.size() >= static_cast<size_t>(oracle_.expected_timers());
      },
      300s, 10ms))
      << "outputs " << outs_.size() << " timers " << ticks_.size() << "; log " << last->log_path();
  if (each) each();
  last->signal(SIGTERM);
  EXPECT_EQ(last->wait(30s), std::optional<int>(0));
}

void RefProcFixture::verify_exactly_once() {
  // Read both topics to their end: no instance runs any more.
  for (int i = 0; i < 50 && (outs_.size() < static_cast<size_t>(oracle_.inputs) ||
                             ticks_.size() < static_cast<size_t>(oracle_.expected_timers()));
       ++i) {
    drain(out_, outs_, 2s);
    drain(timers_, ticks_, 2s);
  }
  drain(out_, outs_, 2s);
  drain(timers_, ticks_, 2s);
  std::set<int64_t> seqs;
  std::map<std::string, std::set<int64_t>> counts_seen;
  std::map<std::string, std::pair<int64_t, int64_t>> last;   // key -> (count, sum)
  std::map<std::string, std::map<int64_t, int64_t>> seq_at;  // key -> count -> input seq
  for (const auto& r : outs_) {
    auto a = r.value.find(':');
    auto b = r.value.find(':', a + 1);
    int64_t seq = std::stoll(r.value.substr(0, a));
    int64_t count = std::stoll(r.value.substr(a + 1, b - a - 1));
    int64_t sum = std::stoll(r.value.substr(b + 1));
    EXPECT_TRUE(seqs.insert(seq).second) << "input " << seq << " has two effects";
    EXPECT_TRUE(counts_seen[r.key].insert(count).second)
        << "key " << r.key << " count " << count << " twice";
    if (count > last[r.key].first) last[r.key] = {count, sum};
    seq_at[r.key][count] = seq;
  }
  // Per key, inputs took effect in the order they were produced (sequence
  // numbers grow with the key's running count), moved or not.
  for (const auto& [k, by_count] : seq_at) {
    int64_t prev = -1;
    for (const auto& [count, seq] : by_count) {
      EXPECT_GT(seq, prev) << "key " << k << ": input " << seq << " took effect out of order";
      prev = seq;
    }
  }
  EXPECT_EQ(static_cast<int64_t>(outs_.size()), oracle_.inputs);
  EXPECT_EQ(static_cast<int64_t>(seqs.size()), oracle_.inputs) << "inputs lost";
  for (const auto& [k, c] : oracle_.count) {
    EXPECT_EQ(last[k].first, c) << "final count of " << k;
    EXPECT_EQ(last[k].second, oracle_.sum[k]) << "final sum of " << k;
  }
  std::set<std::string> ticks;
  for (const auto& r : ticks_)
    EXPECT_TRUE(ticks.insert(r.value).second) << "timer twice: " << r.value;
  EXPECT_EQ(static_cast<int64_t>(ticks_.size()), oracle_.expected_timers());
}

}  // namespace baton::test
