// runtime-passthrough: raw librdkafka consume->produce (no transactions)
// against the runtime's exactly-once loop with RocksDB state (one put per
// event), on the same broker, same topics shape, ~300-byte events.
// Usage: bench-runtime-passthrough --bootstrap HOST:PORT [--events N] [--rate R]
// Last line: RESULT runtime_vs_raw=<ratio> eos_events_per_s=<n> raw_events_per_s=<n> p99_ms=<n>
#include <librdkafka/rdkafkacpp.h>
#include <prometheus/registry.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <random>
#include <thread>

#include "baton/runtime/client.h"
#include "engine/engine.h"

using namespace baton::runtime;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

namespace {

std::string g_bootstrap = "127.0.0.1:9092";
int64_t g_commit_records = 20000;
int64_t g_commit_ms = 100;

class Passthrough : public Processor {
 public:
  Passthrough(std::string in, std::string out) : in_(std::move(in)), out_(std::move(out)) {}
  std::string name() const override { return "passthrough"; }
  std::vector<std::string> input_topics() const override { return {in_}; }
  ProcessResult on_record(const Record& r, const StateView&, TimePoint) override {
    Effects fx;
    fx.put("last/" + r.key, std::to_string(r.offset));
    Output o;
    o.topic = out_;
    o.key = r.key;
    o.value = r.value;
    o.event_id = std::to_string(r.partition) + "-" + std::to_string(r.offset);
    o.ce_type = "bench";
    o.event_time = from_millis(r.timestamp_ms);
    fx.emit(std::move(o));
    return fx;
  }
  ProcessResult on_timer(const Timer&, const StateView&, TimePoint) override { return Effects{}; }

 private:
  std::string in_, out_;
};

std::string uniq(const std::string& p) {
  return p + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(std::random_device{}() % 100000);
}

void create(const std::vector<std::string>& topics, int parts) {
  client::ClientConfig cc;
  cc.bootstrap = g_bootstrap;
  auto admin = client::Admin::connect(cc);
  if (!admin) throw std::runtime_error(admin.error().message);
  std::vector<client::TopicSpec> specs;
  for (const auto& t : topics) {
    client::TopicSpec s;
    s.name = t;
    s.partitions = parts;
    specs.push_back(s);
  }
  auto r = (*admin)->create_topics(specs);
  if (!r) throw std::runtime_error(r.error().message);
}

// Produces n events of ~300 bytes, at `rate` per second (0 = as fast as possible).
void produce(const std::string& topic, int64_t n, int64_t rate) {
  client::ClientConfig cc;
  cc.bootstrap = g_bootstrap;
  cc.properties["linger.ms"] = "5";
  auto p = client::PlainProducer::open(cc);
  if (!p) throw std::runtime_error(p.error().message);
  std::string payload(300, 'x');
  auto start = Steady::now();
  for (int64_t i = 0; i < n; ++i) {
    if (rate > 0) {
      auto due = start + std::chrono::microseconds(i * 1000000 / rate);
      if (due > Steady::now()) std::this_thread::sleep_until(due);
    }
    (void)(*p)->produce(topic, "lead-" + std::to_string(i % 10000), payload);
    if (i % 1000 == 0) (*p)->poll();
  }
  (void)(*p)->flush(60s);
}

std::unique_ptr<RdKafka::KafkaConsumer> consumer(const std::string& group, bool committed) {
  std::unique_ptr<RdKafka::Conf> c(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string e;
  c->set("bootstrap.servers", g_bootstrap, e);
  c->set("group.id", group, e);
  c->set("auto.offset.reset", "earliest", e);
  c->set("enable.auto.commit", "true", e);
  c->set("isolation.level", committed ? "read_committed" : "read_uncommitted", e);
  return std::unique_ptr<RdKafka::KafkaConsumer>(RdKafka::KafkaConsumer::create(c.get(), e));
}

// Raw: consume -> produce, no transactions, no state.
double run_raw(int64_t n) {
  auto in = uniq("bench-raw-in"), out = uniq("bench-raw-out");
  create({in, out}, 6);
  produce(in, n, 0);
  auto c = consumer(uniq("bench-raw"), false);
  c->subscribe({in});
  std::unique_ptr<RdKafka::Conf> pc(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string e;
  pc->set("bootstrap.servers", g_bootstrap, e);
  pc->set("linger.ms", "5", e);
  std::unique_ptr<RdKafka::Producer> p(RdKafka::Producer::create(pc.get(), e));
  int64_t done = 0;
  Steady::time_point start{};
  while (done < n) {
    std::unique_ptr<RdKafka::Message> m(c->consume(100));
    if (m->err() != RdKafka::ERR_NO_ERROR) continue;
    if (done == 0) start = Steady::now();
    while (p->produce(out, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
                      m->payload(), m->len(), m->key() ? m->key()->data() : nullptr,
                      m->key() ? m->key()->size() : 0, 0, nullptr) == RdKafka::ERR__QUEUE_FULL)
      p->poll(10);
    p->poll(0);
    ++done;
  }
  p->flush(60000);
  c->close();
  return n / std::chrono::duration<double>(Steady::now() - start).count();
}

struct EosRun {
  double rate = 0;
  double p50_ms = 0;
  double p99_ms = 0;
};

// The runtime: exactly-once with one RocksDB put per event. With rate > 0
// the producer paces input and a read_committed reader measures event time
// to committed output.
EosRun run_eos(int64_t n, int64_t rate) {
  auto in = uniq("bench-eos-in"), out = uniq("bench-eos-out");
  create({in, out}, 6);
  if (rate == 0) produce(in, n, 0);
  EngineConfig cfg;
  cfg.service = "bench";
  cfg.application_id = uniq("bench-eos");
  cfg.instance_id = "0";
  cfg.kafka["bootstrap.servers"] = g_bootstrap;
  cfg.state_dir = std::filesystem::temp_directory_path() / uniq("bench-state");
  cfg.dedup_window = 0ms;
  cfg.commit_max_records = static_cast<size_t>(g_commit_records);
  cfg.commit_interval = std::chrono::milliseconds(g_commit_ms);
  auto reg = std::make_shared<prometheus::Registry>();
  RuntimeMetrics metrics(*reg, "bench");
  std::vector<std::unique_ptr<Processor>> procs;
  procs.push_back(std::make_unique<Passthrough>(in, out));
  Engine engine(cfg, std::move(procs), metrics);
  if (auto s = engine.start(); !s) throw std::runtime_error(s.message());
  std::thread loop([&] { (void)engine.run(); });
  while (!engine.ready()) std::this_thread::sleep_for(10ms);
  EosRun r;
  if (rate == 0) {
    // Throughput: from ready to every input consumed inside a transaction.
    auto start = Steady::now();
    auto& in_count = metrics.records_in(in);
    while (in_count.Value() < static_cast<double>(n)) std::this_thread::sleep_for(5ms);
    r.rate = n / std::chrono::duration<double>(Steady::now() - start).count();
  } else {
    // The reader owns every output partition before the first input exists.
    auto c = consumer(uniq("bench-eos-reader"), true);
    std::vector<RdKafka::TopicPartition*> parts;
    for (int p = 0; p < 6; ++p)
      parts.push_back(RdKafka::TopicPartition::create(out, p, RdKafka::Topic::OFFSET_BEGINNING));
    c->assign(parts);
    RdKafka::TopicPartition::destroy(parts);
    std::thread feeder([&] { produce(in, n, rate); });
    std::vector<double> lat;
    auto give_up = Steady::now() + 30min;
    while (static_cast<int64_t>(lat.size()) < n && Steady::now() < give_up) {
      std::unique_ptr<RdKafka::Message> m(c->consume(100));
      if (m->err() != RdKafka::ERR_NO_ERROR) continue;
      auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
      lat.push_back(static_cast<double>(now_ms - m->timestamp().timestamp));
    }
    feeder.join();
    c->close();
    std::sort(lat.begin(), lat.end());
    if (!lat.empty()) {
      r.p50_ms = lat[lat.size() / 2];
      r.p99_ms = lat[static_cast<size_t>(lat.size() * 0.99)];
    }
  }
  engine.stop();
  loop.join();
  std::filesystem::remove_all(cfg.state_dir);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t n = 1000000, rate = 2000, latency_events = 20000;
  std::string only;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--bootstrap")
      g_bootstrap = argv[i + 1];
    else if (a == "--events")
      n = std::stoll(argv[i + 1]);
    else if (a == "--rate")
      rate = std::stoll(argv[i + 1]);
    else if (a == "--latency-events")
      latency_events = std::stoll(argv[i + 1]);
    else if (a == "--commit-records")
      g_commit_records = std::stoll(argv[i + 1]);
    else if (a == "--commit-ms")
      g_commit_ms = std::stoll(argv[i + 1]);
    else if (a == "--only")
      only = argv[i + 1];
  }
  try {
    std::cout << "runtime-passthrough: " << n << " events of 300 bytes, 6 partitions, broker "
              << g_bootstrap << ", commit every " << g_commit_ms << " ms or " << g_commit_records
              << " records" << std::endl;
    double raw = 0;
    EosRun eos, lat;
    if (only.empty() || only == "raw") {
      raw = run_raw(n);
      std::cout << "raw librdkafka consume->produce: " << static_cast<int64_t>(raw) << " events/s"
                << std::endl;
    }
    if (only.empty() || only == "eos") {
      eos = run_eos(n, 0);
      std::cout << "runtime exactly-once + RocksDB put: " << static_cast<int64_t>(eos.rate)
                << " events/s" << std::endl;
    }
    if (only.empty() || only == "latency") {
      lat = run_eos(latency_events, rate);
      std::cout << "event time -> committed output at " << rate << " events/s: p50 " << lat.p50_ms
                << " ms, p99 " << lat.p99_ms << " ms" << std::endl;
    }
    std::cout << "RESULT runtime_vs_raw=" << (raw > 0 ? eos.rate / raw : 0)
              << " eos_events_per_s=" << static_cast<int64_t>(eos.rate)
              << " raw_events_per_s=" << static_cast<int64_t>(raw) << " p99_ms=" << lat.p99_ms
              << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "bench failed: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
