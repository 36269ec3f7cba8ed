// A counter's or gauge's value in an in-process prometheus registry: the
// series of `name` whose labels include every pair in `labels`. Tests of
// processors read their metrics with it instead of scraping.
#pragma once

#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <map>
#include <optional>
#include <string>

namespace baton::test {

inline std::optional<double> metric_value(const prometheus::Registry& registry,
                                          const std::string& name,
                                          const std::map<std::string, std::string>& labels = {}) {
  for (const auto& fam : registry.Collect()) {
    if (fam.name != name) continue;
    for (const auto& m : fam.metric) {
      size_t matched = 0;
      for (const auto& l : m.label) {
        auto it = labels.find(l.name);
        matched += it != labels.end() && it->second == l.value;
      }
      if (matched != labels.size()) continue;
      return fam.type == prometheus::MetricType::Gauge ? m.gauge.value : m.counter.value;
    }
  }
  return std::nullopt;
}

}  // namespace baton::test
