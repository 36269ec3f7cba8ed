// An in-memory StateView that applies Effects like the runtime does (state
// writes, timers), for the services' adapter tests; and query functions over
// one or more such fake tasks.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baton/runtime/processor.h"
#include "baton/runtime/query.h"

namespace baton::test {

class FakeState : public runtime::StateView {
 public:
  std::map<std::string, std::string> kv;
  std::map<std::string, std::map<std::string, std::string>> globals;
  std::map<std::string, runtime::Timer> timers;

  std::optional<std::string> get(std::string_view key) const override {
    auto it = kv.find(std::string(key));
    if (it == kv.end()) return std::nullopt;
    return it->second;
  }
  void scan(std::string_view prefix,
            const std::function<bool(std::string_view, std::string_view)>& fn) const override {
    for (auto it = kv.lower_bound(std::string(prefix)); it != kv.end(); ++it) {
      if (it->first.compare(0, prefix.size(), prefix) != 0 || !fn(it->first, it->second)) break;
    }
  }
  std::optional<std::string> global(std::string_view topic, std::string_view key) const override {
    auto t = globals.find(std::string(topic));
    if (t == globals.end()) return std::nullopt;
    auto it = t->second.find(std::string(key));
    if (it == t->second.end()) return std::nullopt;
    return it->second;
  }
  void scan_global(
      std::string_view topic,
      const std::function<bool(std::string_view, std::string_view)>& fn) const override {
    auto t = globals.find(std::string(topic));
    if (t == globals.end()) return;
    for (const auto& [k, v] : t->second)
      if (!fn(k, v)) return;
  }

  // `globals` is changed in place by the tests, so its version is a
  // fingerprint of its contents (0 when empty): same contents, same version.
  uint64_t global_version(std::string_view topic) const override {
    auto t = globals.find(std::string(topic));
    if (t == globals.end() || t->second.empty()) return 0;
    uint64_t h = 1469598103934665603ULL;
    for (const auto& [k, v] : t->second)
      for (const auto& part : {k, v}) {
        h = (h ^ std::hash<std::string>{}(part)) * 1099511628211ULL;
        h = (h ^ part.size()) * 1099511628211ULL;
      }
    return h == 0 ? 1 : h;
  }

  // Applies a processor's effects as a committed transaction would.
  void apply(const runtime::Effects& fx) {
    for (const auto& [k, v] : fx.writes) {
      if (v)
        kv[k] = *v;
      else
        kv.erase(k);
    }
    for (const auto& id : fx.cancel_timers) timers.erase(id);
    for (const auto& t : fx.set_timers) timers[t.id] = t;
    for (const auto& f : fx.on_commit) f();  // metrics, as after a commit
  }

  static runtime::StateLookup lookup_over(const std::vector<const FakeState*>& tasks) {
    return [tasks](std::string_view, std::string_view key) -> std::optional<std::string> {
      for (const auto* t : tasks)
        if (auto v = t->get(key)) return v;
      return std::nullopt;
    };
  }
  static runtime::StateScan scan_over(const std::vector<const FakeState*>& tasks) {
    return [tasks](std::string_view, std::string_view prefix,
                   const std::function<bool(std::string_view, std::string_view)>& fn) {
      for (const auto* t : tasks) t->scan(prefix, fn);
    };
  }
};

}  // namespace baton::test
