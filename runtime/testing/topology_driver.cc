#include "baton/testing/topology_driver.h"

#include <algorithm>
#include <stdexcept>

namespace baton::testing {

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

uint64_t MemState::global_version(std::string_view topic) const {
  auto it = versions_->find(topic);
  return it == versions_->end() ? 0 : it->second;
}

void MemState::apply(const runtime::Effects& fx) {
  for (const auto& [k, v] : fx.writes) {
    if (v)
      kv[k] = *v;
    else
      kv.erase(k);
  }
}

void TopologyDriver::add(runtime::Processor* p) {
  tasks_.push_back(Task{p, MemState(globals_, versions_), p->input_topics(), {}, {}});
}

void TopologyDriver::put_global(const std::string& topic, const std::string& key,
                                const std::string& value) {
  set_global(topic, key, value);
}

void TopologyDriver::set_global(const std::string& topic, const std::string& key,
                                const std::string& value) {
  (*globals_)[topic][key] = value;
  (*versions_)[topic] = runtime::next_global_version();
}

TopologyDriver::Task& TopologyDriver::task(std::string_view processor) {
  for (auto& t : tasks_)
    if (t.p->name() == processor) return t;
  throw std::out_of_range("no processor named " + std::string(processor));
}

const TopologyDriver::Task& TopologyDriver::task(std::string_view processor) const {
  return const_cast<TopologyDriver*>(this)->task(processor);
}

const MemState& TopologyDriver::state(std::string_view processor) const {
  return task(processor).state;
}
MemState& TopologyDriver::mutable_state(std::string_view processor) {
  return task(processor).state;
}

const std::map<std::string, runtime::Timer>& TopologyDriver::timers(
    std::string_view processor) const {
  return task(processor).timers;
}

const std::vector<runtime::Record>& TopologyDriver::output(const std::string& topic) const {
  static const std::vector<runtime::Record> kNone;
  auto it = outputs_.find(topic);
  return it == outputs_.end() ? kNone : it->second;
}

void TopologyDriver::copy_state_from(const TopologyDriver& other) {
  for (size_t i = 0; i < tasks_.size() && i < other.tasks_.size(); ++i) {
    tasks_[i].state.kv = other.tasks_[i].state.kv;
    tasks_[i].timers = other.tasks_[i].timers;
  }
  *globals_ = *other.globals_;
  *versions_ = *other.versions_;
  now_ = other.now_;
}

void TopologyDriver::handle(Task& t, const runtime::ProcessResult& r, const std::string& what) {
  if (!r) {
    rejections_.push_back(r.error().reason.empty() ? kNoReason : r.error().reason);
    details_.push_back(t.p->name() + " " + what + ": " + rejections_.back() + ": " +
                       r.error().detail);
    return;
  }
  const runtime::Effects& fx = *r;
  if (!fx.dedup_id.empty()) t.dedup_ids.push_back(fx.dedup_id);
  t.state.apply(fx);
  for (const auto& id : fx.cancel_timers) t.timers.erase(id);
  for (const auto& tm : fx.set_timers) t.timers[tm.id] = tm;
  for (const auto& f : fx.on_commit) f();
  for (const auto& o : fx.outputs) {
    runtime::Record rec;
    rec.topic = o.topic;
    rec.key = o.key;
    rec.value = o.value;
    rec.offset = offset_++;
    rec.timestamp_ms = runtime::to_millis(o.event_time);
    rec.headers = {{"ce_id", o.event_id}, {"ce_type", o.ce_type}};
    for (const auto& other : tasks_) {
      const auto globals = other.p->global_topics();
      if (std::find(globals.begin(), globals.end(), o.topic) != globals.end()) {
        set_global(o.topic, o.key, o.value);
        break;
      }
    }
    outputs_[o.topic].push_back(rec);
    queue_.push_back(std::move(rec));
  }
}

void TopologyDriver::drain(int& steps, int max_steps) {
  while (!queue_.empty() && steps < max_steps) {
    runtime::Record rec = std::move(queue_.front());
    queue_.pop_front();
    for (auto& t : tasks_) {
      if (std::find(t.inputs.begin(), t.inputs.end(), rec.topic) == t.inputs.end()) continue;
      ++steps;
      handle(t, t.p->on_record(rec, t.state, now_), rec.topic);
    }
  }
}

void TopologyDriver::pipe(runtime::Record in, runtime::TimePoint now, int max_steps) {
  now_ = now;  // the caller's clock (time is injected)
  if (in.offset == 0) in.offset = offset_++;
  queue_.push_back(std::move(in));
  int steps = 0;
  drain(steps, max_steps);
  queue_.clear();  // what the bound cut off
}

void TopologyDriver::pipe(const std::string& topic, const std::string& key,
                          const google::protobuf::Message& value, runtime::TimePoint now) {
  runtime::Record r;
  r.topic = topic;
  r.key = key;
  r.value = value.SerializeAsString();
  r.timestamp_ms = runtime::to_millis(now);
  pipe(std::move(r), now);
}

void TopologyDriver::advance(runtime::TimePoint to, int max_steps) {
  int steps = 0;
  while (steps < max_steps) {
    Task* best = nullptr;
    const runtime::Timer* due = nullptr;
    for (auto& t : tasks_)
      for (const auto& [id, tm] : t.timers)
        if (tm.due <= to && (!due || tm.due < due->due)) {
          best = &t;
          due = &tm;
        }
    if (!best) break;
    const runtime::Timer fired = *due;
    best->timers.erase(fired.id);
    now_ = std::max(now_, fired.due);
    ++steps;
    handle(*best, best->p->on_timer(fired, best->state, now_), fired.id);
    drain(steps, max_steps);
  }
  if (to != runtime::TimePoint::max()) now_ = std::max(now_, to);  // max: "every timer"
  // Then the work tasks have without input (Processor::on_tick), until none
  // has any (the engine asks at every tick).
  for (bool any = true; any && steps < max_steps;) {
    any = false;
    for (auto& t : tasks_) {
      auto fx = t.p->on_tick(0, t.state, now_);
      if (!fx) continue;
      any = true;
      ++steps;
      handle(t, std::move(*fx), "tick");
      drain(steps, max_steps);
    }
  }
  queue_.clear();
}

}  // namespace baton::testing
