#include "dev/stream_view.h"

#include <ostream>

#include "absl/strings/str_split.h"

namespace baton::dev {
namespace {

// The events shown on screen, each with its ANSI colour (first match wins).
struct Shown {
  const char* word;
  int colour;
};
constexpr Shown kShown[] = {
    {"ESCALATED", 31},       {"SLA BREACHED", 31},       {"SLA WARNING", 33},
    {"REASSIGNED", 35},      {"REASSIGN REQUESTED", 35}, {"OUTCOME", 36},
    {"RECYCLE REFUSED", 36}, {"ASSIGNED", 32},           {"HELD", 32},
};
// Counted but not shown.
constexpr const char* kCountedOnly[] = {"SLA MET"};
// The order in which a lead's timeline is worth showing.
constexpr const char* kTimelineOrder[] = {"ESCALATED", "OUTCOME", "REASSIGNED", "ASSIGNED"};

// " WORD " in the line; the position after it, or npos.
size_t find_word(std::string_view line, std::string_view word) {
  for (size_t at = line.find(word); at != std::string_view::npos; at = line.find(word, at + 1)) {
    const size_t end = at + word.size();
    if (at > 0 && line[at - 1] == ' ' && end < line.size() && line[end] == ' ') return end + 1;
  }
  return std::string_view::npos;
}

}  // namespace

StreamView::StreamView(const std::vector<std::string>& extra) {
  for (const auto& s : kShown) counts_[s.word] = 0;
  for (const char* w : kCountedOnly) counts_[w] = 0;
  for (const auto& w : extra) counts_[w];
}

std::optional<std::string> StreamView::take(std::string_view line, bool colour) {
  for (auto& [word, n] : counts_) {
    const size_t after = find_word(line, word);
    if (after == std::string_view::npos) continue;
    ++n;
    if (!first_lead_.contains(word)) {
      const std::string_view rest = line.substr(after);
      const std::string lead(rest.substr(0, rest.find(' ')));
      if (!lead.empty()) first_lead_.emplace(word, lead);
    }
  }
  for (const auto& s : kShown) {
    if (find_word(line, s.word) == std::string_view::npos) continue;
    if (!colour) return std::string(line);
    return "\033[" + std::to_string(s.colour) + "m" + std::string(line) + "\033[0m";
  }
  return std::nullopt;
}

int StreamView::seen(std::string_view word) const {
  auto it = counts_.find(word);
  return it == counts_.end() ? 0 : it->second;
}

bool StreamView::all_seen(const std::vector<std::string>& words) const {
  for (const auto& w : words)
    if (seen(w) == 0) return false;
  return true;
}

std::string StreamView::lead_to_show() const {
  for (const char* w : kTimelineOrder) {
    auto it = first_lead_.find(std::string_view(w));
    if (it != first_lead_.end()) return it->second;
  }
  return {};
}

void StreamView::summary(std::ostream& out) const {
  out << "== What happened ==\n"
      << "  assignments " << seen("ASSIGNED") << ", reassignments " << seen("REASSIGNED")
      << ", held " << seen("HELD") << "\n"
      << "  SLA warnings " << seen("SLA WARNING") << ", breaches " << seen("SLA BREACHED")
      << ", escalations " << seen("ESCALATED") << ", met " << seen("SLA MET") << "\n"
      << "  outcomes to marketing " << seen("OUTCOME") << ", recycles refused "
      << seen("RECYCLE REFUSED") << "\n";
}

std::vector<std::string> split_words(std::string_view csv) {
  return absl::StrSplit(absl::string_view(csv.data(), csv.size()), ',', absl::SkipEmpty());
}

}  // namespace baton::dev
