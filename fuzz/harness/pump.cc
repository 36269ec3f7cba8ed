#include "harness/pump.h"

#include <google/protobuf/stubs/logging.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace baton::fuzz {

std::optional<std::string> MemState::get(std::string_view key) const {
  auto it = kv.find(key);
  if (it == kv.end()) return std::nullopt;
  return it->second;
}

void MemState::scan(std::string_view prefix,
                    const std::function<bool(std::string_view, std::string_view)>& fn) const {
  for (auto it = kv.lower_bound(prefix); it != kv.end() && it->first.starts_with(prefix); ++it)
    if (!fn(it->first, it->second)) return;
}

std::optional<std::string> MemState::global(std::string_view topic, std::string_view key) const {
  auto t = globals_->find(topic);
  if (t == globals_->end()) return std::nullopt;
  auto it = t->second.find(key);
  if (it == t->second.end()) return std::nullopt;
  return it->second;
}

void MemState::scan_global(
    std::string_view topic,
    const std::function<bool(std::string_view, std::string_view)>& fn) const {
  auto t = globals_->find(topic);
  if (t == globals_->end()) return;
  for (const auto& [k, v] : t->second)
    if (!fn(k, v)) return;
}

void MemState::apply(const runtime::Effects& fx) {
  for (const auto& [k, v] : fx.writes) {
    if (v)
      kv[k] = *v;
    else
      kv.erase(k);
  }
}

void Pump::add(runtime::Processor* p) {
  // Hostile bytes make protobuf log every invalid UTF-8 string; the fuzz
  // output stays readable without them.
  static const bool silenced = [] {
    google::protobuf::SetLogHandler(
        [](google::protobuf::LogLevel, const char*, int, const std::string&) {});
    return true;
  }();
  (void)silenced;
  stages_.push_back(Stage{p, MemState(globals_), p->input_topics(), {}});
}

void Pump::copy_state_from(const Pump& other) {
  for (size_t i = 0; i < stages_.size() && i < other.stages_.size(); ++i) {
    stages_[i].state.kv = other.stages_[i].state.kv;
    stages_[i].timers = other.stages_[i].timers;
  }
}

void Pump::handle(Stage& s, const runtime::ProcessResult& r, std::vector<runtime::Record>& queue) {
  if (!r) {
    // A rejection must say why, in the bounded vocabulary (never empty).
    if (r.error().reason.empty()) std::abort();
    rejections_.push_back(r.error().reason);
    return;
  }
  const runtime::Effects& fx = *r;
  s.state.apply(fx);
  for (const auto& id : fx.cancel_timers) s.timers.erase(id);
  for (const auto& t : fx.set_timers) s.timers[t.id] = t;
  for (const auto& f : fx.on_commit) f();
  for (const auto& o : fx.outputs) {
    if (o.topic.empty()) std::abort();  // an output must name its topic
    runtime::Record rec;
    rec.topic = o.topic;
    rec.key = o.key;
    rec.value = o.value;
    rec.offset = offset_++;
    rec.timestamp_ms = runtime::to_millis(o.event_time);
    rec.headers = {{"ce_id", o.event_id}, {"ce_type", o.ce_type}};
    queue.push_back(std::move(rec));
  }
}

void Pump::run(runtime::Record in, runtime::TimePoint now, int max_steps) {
  std::vector<runtime::Record> queue{std::move(in)};
  int steps = 0;
  while (steps < max_steps) {
    if (!queue.empty()) {
      runtime::Record rec = std::move(queue.front());
      queue.erase(queue.begin());
      for (auto& s : stages_) {
        bool reads = false;
        for (const auto& t : s.inputs) reads = reads || t == rec.topic;
        if (!reads) continue;
        ++steps;
        handle(s, s.p->on_record(rec, s.state, now), queue);
      }
      continue;
    }
    // Earliest due timer of any stage.
    Stage* best = nullptr;
    std::string best_id;
    for (auto& s : stages_)
      for (const auto& [id, t] : s.timers)
        if (!best || t.due < best->timers[best_id].due) {
          best = &s;
          best_id = id;
        }
    if (!best) return;
    runtime::Timer t = best->timers[best_id];
    best->timers.erase(best_id);
    if (t.due > now) now = t.due;
    ++steps;
    handle(*best, best->p->on_timer(t, best->state, now), queue);
  }
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

runtime::TimePoint fuzz_now() { return runtime::from_millis(1711454400000LL); }

}  // namespace baton::fuzz
