#include "timeline_view.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "pretty.h"

namespace baton::cli {

std::vector<std::string> render_timeline(std::vector<TimelineStep> steps, bool utc) {
  std::stable_sort(steps.begin(), steps.end(),
                   [](const TimelineStep& a, const TimelineStep& b) { return a.at < b.at; });
  std::vector<std::string> lines;
  for (size_t i = 0; i < steps.size(); ++i) {
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    auto since_prev =
        i == 0 ? milliseconds(0) : duration_cast<milliseconds>(steps[i].at - steps[i - 1].at);
    auto since_first = duration_cast<milliseconds>(steps[i].at - steps[0].at);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s  %-10s %-12s ", clock_text(steps[i].at, utc).c_str(),
                  ("+" + duration_text(since_prev)).c_str(),
                  ("(" + duration_text(since_first) + ")").c_str());
    lines.push_back(buf + steps[i].text);
  }
  return lines;
}

Result<std::vector<TimelineStep>> parse_timeline_json(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) return Error{"input.timeline", "timeline: the answer is not JSON"};
  const nlohmann::json* list = nullptr;
  if (j.is_array()) list = &j;
  for (const char* k : {"steps", "timeline", "events", "entries"})
    if (list == nullptr && j.is_object() && j.contains(k) && j[k].is_array()) list = &j[k];
  if (list == nullptr)
    return Error{"input.timeline", "timeline: expected a list of steps in the answer"};
  std::vector<TimelineStep> steps;
  for (const auto& s : *list) {
    if (!s.is_object()) continue;
    TimelineStep step{};
    std::string label, rest;
    for (auto it = s.begin(); it != s.end(); ++it) {
      const std::string& k = it.key();
      const auto& v = it.value();
      if (k == "at" || k == "time" || k == "event_time" || k == "timestamp") {
        if (v.is_string()) {
          if (auto ts = parse_time(v.get<std::string>(), k)) step.at = from_timestamp(*ts);
        } else if (v.is_number()) {
          step.at = TimePoint(std::chrono::milliseconds(v.get<int64_t>()));
        }
        continue;
      }
      if (label.empty() &&
          (k == "step" || k == "kind" || k == "type" || k == "event" || k == "stage") &&
          v.is_string()) {
        label = v.get<std::string>();
        continue;
      }
      if (v.is_object() || v.is_array() || v.is_null()) continue;
      rest += " " + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
    }
    step.text = (label.empty() ? std::string("step") : label) + rest;
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace baton::cli
