#include "system.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace baton::test {

namespace client = runtime::client;
using namespace std::chrono_literals;

System::System(const std::string& name) {
  auto u = unique_name(name);
  prefix_ = u + ".";
  app_suffix_ = u;
  dir_ = temp_dir(name);
  cc_.bootstrap = bootstrap();
  // Survive a broker restart: deliveries wait up to 2 minutes.
  cc_.timeout = std::chrono::seconds(60);
  auto p = client::PlainProducer::open(cc_);
  if (!p) throw std::runtime_error(p.error().message);
  producer_ = std::move(p.value());
}

System::~System() {
#if defined(BATON_UNDER_ASAN)  // harness.h
  // ASan builds: stop the services as Kubernetes would (SIGTERM, then a
  // grace), so that LeakSanitizer checks their exit; a SIGKILLed process
  // reports nothing.
  for (auto& [k, c] : children_) c->signal(SIGTERM);
  for (auto& [k, c] : children_) c->wait(std::chrono::seconds(30));
#endif
  for (auto& [k, c] : children_) c->signal(SIGKILL);
  children_.clear();
  // A passing test leaves nothing behind (a System's dir holds every
  // service's RocksDB: hundreds of MB); a failing one keeps its logs, as do
  // benchmarks and BATON_KEEP_TEST_DIRS=1.
  const bool in_test = ::testing::UnitTest::GetInstance()->current_test_info() != nullptr;
  if (in_test && !::testing::Test::HasFailure() && !std::getenv("BATON_KEEP_TEST_DIRS")) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

void System::create_topics() {
  if (cli({"topics", "create", "--partitions", "6"}, "topics") != 0)
    throw std::runtime_error("baton topics create failed; see " + dir_ + "/topics.log");
}

int System::cli(const std::vector<std::string>& args, const std::string& log_name) {
  std::vector<std::string> argv{bin_dir() + "/baton"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--bootstrap", cc_.bootstrap, "--prefix", prefix_});
  Child c(argv, {}, dir_ + "/" + log_name + ".log");
  auto rc = c.wait(120s);
  return rc.value_or(-1);
}

std::string System::example_config(const std::string& service) {
  return source_dir() + "/services/" + service + "/config/" + service + ".example.yaml";
}

int System::start(const std::string& service, const std::string& instance,
                  const std::string& config) {
  auto key = service + "/" + instance;
  if (!ports_.count(key)) ports_[key] = free_port();
  int port = ports_[key];
  std::vector<std::string> argv{bin_dir() + "/baton-" + service,
                                "--config",
                                config.empty() ? example_config(service) : config,
                                "--instance-id",
                                instance,
                                "--admin-port",
                                std::to_string(port),
                                "--state-dir",
                                dir_ + "/state/" + service,
                                "--topic-prefix",
                                prefix_,
                                "--application-id",
                                application_id(service)};
  for (auto& a : query_listener_args(port, dir_)) argv.push_back(std::move(a));
  children_[key] = std::make_unique<Child>(
      argv, std::map<std::string, std::string>{{"BATON_KAFKA_BOOTSTRAP_SERVERS", cc_.bootstrap}},
      dir_ + "/" + service + "-" + instance + ".log");
  return port;
}

Child& System::child(const std::string& service, const std::string& instance) {
  return *children_.at(service + "/" + instance);
}

int System::port(const std::string& service, const std::string& instance) {
  return ports_.at(service + "/" + instance);
}

std::optional<int> System::stop(const std::string& service, const std::string& instance, int sig) {
  auto& c = child(service, instance);
  c.signal(sig);
  return c.wait(40s);
}

bool System::all_ready(std::chrono::milliseconds timeout) {
  return wait_until(
      [&] {
        for (auto& [key, c] : children_) {
          if (!c->running()) continue;
          auto r = http_get(ports_[key], "/readyz");
          if (!r || r->status != 200) return false;
        }
        return true;
      },
      timeout, 100ms);
}

void System::send(const std::string& topic_name, const std::string& key,
                  const google::protobuf::Message& msg, const std::string& event_id) {
  std::string bytes;
  msg.SerializeToString(&bytes);
  auto id = event_id.empty() ? unique_name("evt") : event_id;
  auto hs = client::cloudevents_headers(id, msg.GetDescriptor()->full_name(), "baton-tests",
                                        runtime::Clock::now());
  auto s = producer_->produce(topic(topic_name), key, bytes, hs);
  if (!s) throw std::runtime_error(s.message());
  auto f = producer_->flush(30s);
  if (!f) throw std::runtime_error(f.message());
}

void System::send_async(const std::string& topic_name, const std::string& key,
                        const google::protobuf::Message& msg, const std::string& event_id) {
  std::string bytes;
  msg.SerializeToString(&bytes);
  auto hs = client::cloudevents_headers(event_id, msg.GetDescriptor()->full_name(), "baton-tests",
                                        runtime::Clock::now());
  for (int attempt = 0;; ++attempt) {
    auto s = producer_->produce(topic(topic_name), key, bytes, hs);
    if (s) return;
    if (attempt > 100) throw std::runtime_error(s.message());
    producer_->poll();
  }
}

void System::flush() {
  auto f = producer_->flush(120s);
  if (!f) throw std::runtime_error(f.message());
}

void System::restart_broker() {
  const char* f = std::getenv("BATON_TEST_BOOTSTRAP_FILE");
  if (!f) throw std::runtime_error("no fixture broker to restart");
  auto dir = std::filesystem::path(f).parent_path().string();
  Child c({source_dir() + "/scripts/kafka", "restart", "--dir", dir}, {},
          dir_ + "/broker-restart.log");
  if (c.wait(300s) != std::optional<int>(0))
    throw std::runtime_error("broker restart failed; see " + dir_ + "/broker-restart.log");
}

std::vector<std::pair<std::string, std::string>> System::instances() {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [key, c] : children_) {
    if (!c->running()) continue;
    auto slash = key.find('/');
    out.emplace_back(key.substr(0, slash), key.substr(slash + 1));
  }
  return out;
}

std::unique_ptr<client::TailConsumer> System::tail(const std::string& topic_name,
                                                   bool read_committed) const {
  client::TailOptions o;
  o.topics = {topic(topic_name)};
  o.read_committed = read_committed;
  auto c = client::TailConsumer::open(cc_, o);
  if (!c) throw std::runtime_error(c.error().message);
  return std::move(c.value());
}

void System::read_into(client::TailConsumer& c, std::chrono::milliseconds budget,
                       std::vector<runtime::Record>& into) {
  auto end = std::chrono::steady_clock::now() + budget;
  while (std::chrono::steady_clock::now() < end) {
    auto r = c.poll(50ms);
    if (!r) throw std::runtime_error(r.error().message);
    if (r->has_value())
      into.push_back(std::move(**r));
    else if (c.at_end())
      break;
  }
}

const std::vector<runtime::Record>& System::read(const std::string& topic_name,
                                                 std::chrono::milliseconds budget) {
  auto& t = tails_[topic_name];
  if (!t) {
    t = tail(topic_name, true);
    // A fresh reader first reaches the end of what is committed, however
    // slow the machine: callers may assert that something is absent.
    budget = std::max<std::chrono::milliseconds>(budget, 60s);
  }
  auto& into = seen_[topic_name];
  read_into(*t, budget, into);
  return into;
}

std::vector<runtime::Record> System::read_fresh(const std::string& topic_name,
                                                bool read_committed) {
  std::vector<runtime::Record> out;
  read_into(*tail(topic_name, read_committed), 60s, out);
  return out;
}

}  // namespace baton::test
