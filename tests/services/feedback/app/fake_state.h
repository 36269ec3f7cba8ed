// An in-memory StateView that applies Effects like the runtime does.
#pragma once

#include <map>
#include <string>

#include "baton/runtime/processor.h"
#include "baton/runtime/query.h"

namespace baton::feedback::app::test {

class FakeState : public runtime::StateView {
 public:
  std::map<std::string, std::string> kv;

  std::optional<std::string> get(std::string_view key) const override {
    auto it = kv.find(std::string(key));
    if (it == kv.end()) return std::nullopt;
    return it->second;
  }
  void scan(std::string_view prefix,
            const std::function<bool(std::string_view, std::string_view)>& fn) const override {
    for (auto it = kv.lower_bound(std::string(prefix));
         it != kv.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
      if (!fn(it->first, it->second)) return;
  }
  std::optional<std::string> global(std::string_view, std::string_view) const override {
    return std::nullopt;
  }
  void scan_global(std::string_view,
                   const std::function<bool(std::string_view, std::string_view)>&) const override {}

  void commit(const runtime::Effects& fx) {
    for (const auto& [k, v] : fx.writes) {
      if (v)
        kv[k] = *v;
      else
        kv.erase(k);
    }
    for (const auto& f : fx.on_commit) f();
  }

  // Query functions over one or more fake tasks.
  static runtime::StateLookup lookup_over(std::vector<const FakeState*> tasks) {
    return [tasks](std::string_view, std::string_view key) -> std::optional<std::string> {
      for (const auto* t : tasks)
        if (auto v = t->get(key)) return v;
      return std::nullopt;
    };
  }
  static runtime::StateScan scan_over(std::vector<const FakeState*> tasks) {
    return [tasks](std::string_view, std::string_view prefix,
                   const std::function<bool(std::string_view, std::string_view)>& fn) {
      for (const auto* t : tasks) t->scan(prefix, fn);
    };
  }
};

}  // namespace baton::feedback::app::test
