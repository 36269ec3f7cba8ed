// baton generate: paces the generator's lead stream onto the topics, watches
// assignments and plays the simulated reps' touches and stage changes.
#include <cstdio>
#include <fstream>
#include <map>
#include <queue>
#include <set>
#include <thread>

#include "baton/roster/roster_yaml.h"
#include "baton/v1/routing.pb.h"
#include "commands.h"
#include "generator/generator.h"

namespace baton::cli {
namespace {

struct GenerateFlags {
  double rate = 2;
  int64_t count = 100;
  uint64_t seed = 1;
  double time_scale = 1;
  std::string reps_out;
  bool no_roster = false;
  bool no_reps = false;
  double idle_exit = 30;
};

struct Counters {
  int64_t leads = 0, signals = 0, assignments = 0, activities = 0, stages = 0;
};

using Clock = std::chrono::system_clock;

int run_generate(const Globals& g, const GenerateFlags& f) {
  install_stop_handler();
  const auto roster = gen::default_roster();
  if (!f.reps_out.empty()) {
    std::ofstream out(f.reps_out);
    out << roster::reps_to_yaml(roster);
    if (!out) return fail(Error{"input.file", f.reps_out + ": cannot write"});
  }
  auto producer = open_producer(g);
  if (!producer) return fail(producer.error());
  std::unique_ptr<client::TailConsumer> routing;
  if (!f.no_reps) {
    client::TailOptions options;
    options.topics = {topic(g, TopicRole::kRoutingEvents)};
    options.start = client::StartAt::kEnd;
    auto consumer = client::TailConsumer::open(client_config(g), options);
    if (!consumer) return fail(consumer.error());
    routing = std::move(*consumer);
  }
  auto emit = [&](const gen::GeneratedEvent& e) {
    std::vector<runtime::Header> headers =
        client::cloudevents_headers(e.event_id, e.ce_type, e.source, e.at);
    return (*producer)->produce(topic(g, e.topic), e.key, e.value, headers);
  };
  if (!f.no_roster) {
    const auto now = Clock::now();
    for (const auto& rep : roster)
      if (auto s = send_event(**producer, topic(g, TopicRole::kRosterReps), rep.id(), rep,
                              "generator-rep-" + rep.id(), "baton-generate", now);
          !s)
        return fail(s.error());
  }

  gen::GeneratorOptions options{f.seed, f.rate, f.count, f.time_scale, Clock::now()};
  gen::LeadStream stream(options);
  // Follow-ups due, by time; stale ones (the lead moved to another owner) are skipped.
  using Due = std::pair<gen::GeneratedEvent, std::string>;  // event, owner generation
  auto later = [](const Due& a, const Due& b) { return a.first.at > b.first.at; };
  std::priority_queue<Due, std::vector<Due>, decltype(later)> due(later);
  std::map<std::string, std::string> owner_generation;  // lead -> rep/reassignment/cycle
  std::set<std::string> seen;
  Counters n;
  auto last_assignment = std::chrono::steady_clock::now();
  auto last_progress = std::chrono::steady_clock::now();
  auto progress = [&](bool final) {
    std::fprintf(stderr,
                 "generate: leads %lld/%lld signals %lld assignments %lld touches %lld stage "
                 "changes %lld pending %zu%s\n",
                 static_cast<long long>(n.leads), static_cast<long long>(f.count),
                 static_cast<long long>(n.signals), static_cast<long long>(n.assignments),
                 static_cast<long long>(n.activities), static_cast<long long>(n.stages), due.size(),
                 final ? " (done)" : "");
  };

  while (!g_stop.load()) {
    const auto now = Clock::now();
    // 1. Leads and signals whose event time has come.
    while (auto t = stream.peek_time()) {
      if (*t > now) break;
      auto e = stream.next();
      if (auto s = emit(*e); !s) return fail(s.error());
      if (e->topic == TopicRole::kLeadsSignals) n.signals++;
      n.leads = stream.leads_emitted();
    }
    // 2. Simulated reps' follow-ups that are due.
    while (!due.empty() && due.top().first.at <= now) {
      Due d = due.top();
      due.pop();
      if (owner_generation[d.first.key] != d.second) continue;
      if (auto s = emit(d.first); !s) return fail(s.error());
      (d.first.topic == TopicRole::kSalesActivities ? n.activities : n.stages)++;
    }
    (*producer)->poll();
    // 3. Assignments the router made.
    if (routing) {
      auto rec = routing->poll(std::chrono::milliseconds(100));
      if (!rec) return fail(rec.error());
      v1::RoutingEvent ev;
      if (*rec && ev.ParseFromString((*rec)->value) && ev.has_assignment()) {
        const auto& a = ev.assignment();
        gen::ObservedAssignment seen_a{
            (*rec)->key, a.owner_rep_id(),      a.tier(),    a.reassignment_count(),
            a.cycle(),   a.handoff().country(), Clock::now()};
        std::string generation = a.owner_rep_id() + "/" + std::to_string(a.reassignment_count()) +
                                 "/" + std::to_string(a.cycle());
        if (seen.insert(seen_a.lead_id + "/" + generation).second) {
          n.assignments++;
          last_assignment = std::chrono::steady_clock::now();
          owner_generation[seen_a.lead_id] = generation;
          for (auto& e : gen::plan_follow_up(f.seed, f.time_scale, seen_a))
            due.push({std::move(e), generation});
        }
      }
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (std::chrono::steady_clock::now() - last_progress >= std::chrono::seconds(1)) {
      progress(false);
      last_progress = std::chrono::steady_clock::now();
    }
    // Done: every lead out, no follow-up pending, no new assignment for a while.
    const bool leads_done = !stream.peek_time().has_value();
    const bool idle = std::chrono::steady_clock::now() - last_assignment >
                      std::chrono::milliseconds(static_cast<int64_t>(f.idle_exit * 1000));
    if (leads_done && (f.no_reps || (due.empty() && idle))) break;
  }
  if (auto s = (*producer)->flush(); !s) return fail(s.error());
  progress(true);
  return kOk;
}

}  // namespace

void add_generate_command(CLI::App& app, Globals& g, int& rc) {
  auto f = std::make_shared<GenerateFlags>();
  auto* gen = app.add_subcommand(
      "generate",
      "Realistic synthetic load: leads from several sources and campaigns with touches and "
      "engagement, a roster across time zones, and simulated reps that touch quickly, slowly or "
      "never and move leads through stages. Deterministic for a seed.");
  gen->add_option("--rate", f->rate, "Leads per second")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 100000.0));
  gen->add_option("--count", f->count, "Leads to send (0: until Ctrl-C)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  gen->add_option("--seed", f->seed, "Seed: the same seed sends the same leads")
      ->capture_default_str();
  gen->add_option("--time-scale", f->time_scale,
                  "Compress engagement and rep delays by this factor (60: a 5-minute SLA "
                  "scenario plays in 5 s)")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 100000.0));
  gen->add_option("--reps-out", f->reps_out, "Also write the generated roster as reps.yaml");
  gen->add_flag("--no-roster", f->no_roster, "Do not publish the roster");
  gen->add_flag("--no-reps", f->no_reps, "Do not simulate reps (leads and signals only)");
  gen->add_option("--idle-exit", f->idle_exit,
                  "After the last lead, exit when nothing is pending and no assignment came for "
                  "S seconds")
      ->capture_default_str();
  gen->callback([&g, &rc, f] { rc = run_generate(g, *f); });
}

}  // namespace baton::cli
