// What `baton dev demo` makes of the event stream (the lines of `baton tail
// all --pretty`): which lines go on screen and in which colour, how many of
// each event it has seen, and the lead whose timeline tells the most. Pure:
// lines in, text out (ctest -R DevDemo).
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace baton::dev {

class StreamView {
 public:
  // Counts the demo's own events plus `extra` words (e.g. --until-seen's).
  explicit StreamView(const std::vector<std::string>& extra = {});

  // Takes one line of the stream. Returns it when it is a handoff, an SLA
  // event or an outcome (in its colour when `colour`), else nothing.
  std::optional<std::string> take(std::string_view line, bool colour);

  // Lines that showed " WORD " (e.g. "SLA BREACHED"); 0 for a word not counted.
  int seen(std::string_view word) const;
  bool all_seen(const std::vector<std::string>& words) const;

  // The first escalated lead, else the first with an outcome, else the
  // first reassigned, else the first assigned; empty when none was seen.
  std::string lead_to_show() const;

  // "== What happened ==" and the counts under it.
  void summary(std::ostream& out) const;

 private:
  std::map<std::string, int, std::less<>> counts_;
  std::map<std::string, std::string, std::less<>> first_lead_;  // word -> lead after it
};

// Splits "a,b,,c" into {"a", "b", "c"}.
std::vector<std::string> split_words(std::string_view csv);

}  // namespace baton::dev
