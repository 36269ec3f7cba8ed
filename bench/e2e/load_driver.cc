#include "load_driver.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <queue>
#include <unordered_map>

#include "baton/v1/lead.pb.h"
#include "topics.h"

namespace baton::bench {

namespace client = runtime::client;
namespace gen = cli::gen;
using namespace std::chrono_literals;

std::string with_unique_email(const std::string& bytes, const std::string& lead_id) {
  v1::LeadCaptured lead;
  if (!lead.ParseFromString(bytes)) return bytes;
  const std::string& email = lead.person().email();
  const auto at = email.find('@');
  if (at == std::string::npos) return bytes;
  std::string id = lead_id;
  std::transform(id.begin(), id.end(), id.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  lead.mutable_person()->set_email(email.substr(0, at) + "." + id + email.substr(at));
  return lead.SerializeAsString();
}

std::vector<v1::Rep> bench_roster(int extra_per_pool) {
  auto always_on = [](v1::Rep& r) {
    r.set_capacity(0);
    r.set_daily_cap(0);
    r.clear_out_of_office();
    r.clear_holidays();
    r.set_active(true);
    auto* h = r.mutable_working_hours();
    h->clear_days();
    for (int d = 1; d <= 7; ++d) h->add_days(d);
    h->set_start_minute(0);
    h->set_end_minute(24 * 60);
  };
  auto reps = gen::default_roster();
  for (auto& r : reps) always_on(r);
  struct Pool {
    const char *name, *manager, *tz;
  };
  const Pool pools[] = {{"emea-enterprise", "mgr-eva", "Europe/Berlin"},
                        {"north-america", "mgr-frank", "America/New_York"},
                        {"apac", "mgr-hiro", "Asia/Singapore"}};
  for (const auto& p : pools) {
    for (int i = 1; i <= extra_per_pool; ++i) {
      v1::Rep r;
      r.set_id(std::string("rep-") + p.name + "-" + std::to_string(i));
      r.set_name(std::string("Bench Rep ") + p.name + " " + std::to_string(i));
      r.set_manager_id(p.manager);
      r.add_pools(p.name);
      r.set_time_zone(p.tz);
      r.set_weight(1);
      r.add_languages("en");
      always_on(r);
      reps.push_back(std::move(r));
    }
  }
  return reps;
}

LoadDriver::LoadDriver(client::ClientConfig cc, std::string prefix, DriverOptions options)
    : cc_(std::move(cc)), prefix_(std::move(prefix)), options_(options) {}

LoadDriver::~LoadDriver() { stop(); }

std::string LoadDriver::start() {
  client::ClientConfig pc = cc_;
  pc.properties["linger.ms"] = "5";
  pc.properties["batch.size"] = "1000000";
  pc.properties["queue.buffering.max.messages"] = "1000000";
  pc.timeout = 120s;
  auto p = client::PlainProducer::open(pc);
  if (!p) return p.error().message;
  producer_ = std::move(p.value());
  th_ = std::thread([this] { run(); });
  return "";
}

void LoadDriver::add_phase(uint64_t seed, double rate, int64_t count) {
  gen::GeneratorOptions o;
  o.seed = seed;
  o.rate = rate;
  o.count = count;
  o.time_scale = options_.time_scale;
  o.start = runtime::Clock::now();
  std::lock_guard lk(mu_);
  leads_planned_ += count;
  new_streams_.push_back(std::make_unique<gen::LeadStream>(o));
}

void LoadDriver::on_assignment(const gen::ObservedAssignment& a) {
  if (!options_.simulate_reps) return;
  std::lock_guard lk(mu_);
  inbox_.push_back(a);
}

void LoadDriver::stop() {
  stop_ = true;
  if (th_.joinable()) th_.join();
  if (producer_) {
    if (auto s = producer_->flush(120s); !s && !failed_) fail("flush: " + s.message());
    producer_.reset();
  }
}

void LoadDriver::fail(const std::string& why) {
  if (failed_) return;
  error_ = why;
  failed_ = true;
}

bool LoadDriver::emit(const Event& e) {
  const auto headers = client::cloudevents_headers(e.event_id, e.ce_type, e.source, e.at);
  const std::string topic = cli::topic_name(e.topic, prefix_);
  const bool capture = e.topic == cli::TopicRole::kLeadsCaptured;
  auto s = producer_->produce(topic, e.key, capture ? with_unique_email(e.value, e.key) : e.value,
                              headers);
  if (!s) fail("producing to " + topic + ": " + s.message());
  return static_cast<bool>(s);
}

// Lead index from "L<hex>-<index + 1>" (0 when not a generator id).
static int64_t lead_number(const std::string& id) {
  const auto dash = id.find('-');
  if (dash == std::string::npos) return 0;
  int64_t n = 0;
  for (size_t i = dash + 1; i < id.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(id[i]))) return 0;
    n = n * 10 + (id[i] - '0');
  }
  return n;
}

void LoadDriver::run() {
  struct Active {
    std::unique_ptr<gen::LeadStream> stream;
    int64_t max_lead = 0;  // leads out so far (captures are in index order)
  };
  std::vector<Active> active;
  // Follow-ups are sent only while their lead still has the owner who
  // planned them: lead -> (owner generation, follow-ups pending).
  std::unordered_map<std::string, std::pair<size_t, int>> owners;
  struct Due {
    Event e;
    size_t generation;
  };
  auto later = [](const Due& a, const Due& b) { return a.e.at > b.e.at; };
  std::priority_queue<Due, std::vector<Due>, decltype(later)> due(later);
  std::deque<gen::ObservedAssignment> inbox;
  constexpr int kBatch = 2000;  // per source and iteration: every source gets its turn

  while (!stop_ && !failed_) {
    {
      std::lock_guard lk(mu_);
      for (auto& s : new_streams_) active.push_back({std::move(s), 0});
      new_streams_.clear();
      inbox.swap(inbox_);
    }
    const auto now = runtime::Clock::now();
    int sent = 0;
    // 1. Leads and signals whose event time has come.
    for (auto& a : active) {
      for (int n = 0; n < kBatch && !failed_; ++n) {
        auto t = a.stream->peek_time();
        if (!t || *t > now) break;
        auto e = a.stream->next();
        if (!e || !emit(*e)) break;
        ++sent;
        if (e->topic == cli::TopicRole::kLeadsSignals) {
          ++signals_;
        } else if (const int64_t k = lead_number(e->key); k > a.max_lead) {
          leads_out_ += k - a.max_lead;
          a.max_lead = k;
          const double lag = std::chrono::duration<double, std::milli>(now - e->at).count();
          if (lag > worst_lag_ms_) worst_lag_ms_ = lag;
        }
      }
    }
    std::erase_if(active, [](const Active& a) { return !a.stream->peek_time(); });
    // 2. The simulated reps plan their touches and stage changes.
    for (auto& a : inbox) {
      if (static_cast<int64_t>(due.size()) >= options_.max_pending) {
        ++skipped_;
        continue;
      }
      const size_t generation = std::hash<std::string>{}(
          a.rep_id + "/" + std::to_string(a.reassignment_count) + "/" + std::to_string(a.cycle));
      auto plan = gen::plan_follow_up(options_.seed, options_.time_scale, a);
      auto& owner = owners[a.lead_id];
      owner.first = generation;
      owner.second += static_cast<int>(plan.size());
      for (auto& e : plan) due.push({std::move(e), generation});
      if (owner.second == 0) owners.erase(a.lead_id);
    }
    inbox.clear();
    // 3. Follow-ups that are due.
    for (int n = 0; n < kBatch && !due.empty() && due.top().e.at <= now && !failed_; ++n) {
      Due d = due.top();
      due.pop();
      auto it = owners.find(d.e.key);
      const bool current = it != owners.end() && it->second.first == d.generation;
      if (it != owners.end() && --it->second.second <= 0) owners.erase(it);
      if (!current) continue;
      if (!emit(d.e)) break;
      ++follow_ups_;
      ++sent;
    }
    producer_->poll();
    if (sent == 0) std::this_thread::sleep_for(1ms);
  }
}

}  // namespace baton::bench
