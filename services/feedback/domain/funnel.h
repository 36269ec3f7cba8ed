// Funnel rollups by source and by campaign: how many leads reached each
// stage (each lead counted once per stage), the four conversion rates the
// revenue review looks at, and dispositions by campaign.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "baton/feedback/state.pb.h"
#include "baton/v1/common.pb.h"
#include "response_time.h"

namespace baton::feedback {

// A lead entered a stage.
struct FunnelEvent {
  std::string source;    // "(none)" when empty
  std::string campaign;  // "(none)" when empty
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
  std::string disposition;  // reason name for Rejected/Recycled/Lost, else empty
  // First time this lead reached the stage (funnel counts leads once per
  // stage; dispositions are counted on every transition).
  bool first = true;
};

inline constexpr std::string_view kNone = "(none)";
inline constexpr std::string_view kOther = "other";

std::string label_or_none(const std::string& s);
// State keys of the per-task aggregates.
std::string funnel_source_key(const std::string& source);
std::string funnel_campaign_key(const std::string& campaign);
inline constexpr std::string_view kFunnelSourcePrefix = "funnel/source/";
inline constexpr std::string_view kFunnelCampaignPrefix = "funnel/campaign/";

// Adds one event to an aggregate.
void count(state::FunnelCounts& counts, const FunnelEvent& e);
// Adds b into a (stage counts, dispositions, rep delay buckets).
void merge(state::FunnelCounts& a, const state::FunnelCounts& b);

struct FunnelRow {
  std::string key;  // source or campaign ("other" for the folded rest)
  state::FunnelCounts counts;
  double lead_to_contact = 0;
  double contact_to_qualified = 0;
  double qualified_to_opportunity = 0;
  double opportunity_to_won = 0;
  // p50/p90 of the rep delay (response_time.h).
  ResponseTime response_time;
};

// Rows ordered by leads captured (desc, then key); rows beyond `top_n` are
// folded into one "other" row. top_n = 0 keeps every row.
std::vector<FunnelRow> funnel_report(const std::map<std::string, state::FunnelCounts>& by_key,
                                     size_t top_n);

// Bounded metric labels: the pinned values plus the first `max` others seen
// keep their own label; later values fold into "other". Keeps label sets
// bounded for Prometheus.
class BoundedLabels {
 public:
  BoundedLabels(size_t max, std::vector<std::string> pinned = {});
  std::string label(const std::string& value);

 private:
  size_t max_;
  std::set<std::string> pinned_;
  std::set<std::string> admitted_;
};

}  // namespace baton::feedback
