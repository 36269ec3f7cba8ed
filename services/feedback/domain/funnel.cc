#include "funnel.h"

#include <algorithm>

#include "lifecycle.h"

namespace baton::feedback {
namespace {

int64_t reached(const state::FunnelCounts& c, v1::Stage s) {
  auto it = c.reached().find(static_cast<int32_t>(s));
  return it == c.reached().end() ? 0 : it->second;
}

double rate(const state::FunnelCounts& c, v1::Stage from, v1::Stage to) {
  const int64_t d = reached(c, from);
  return d == 0 ? 0.0 : static_cast<double>(reached(c, to)) / static_cast<double>(d);
}

FunnelRow row(std::string key, state::FunnelCounts counts) {
  FunnelRow r;
  r.key = std::move(key);
  r.counts = std::move(counts);
  r.lead_to_contact = rate(r.counts, v1::STAGE_CAPTURED, v1::STAGE_CONTACTED);
  r.contact_to_qualified = rate(r.counts, v1::STAGE_CONTACTED, v1::STAGE_QUALIFIED);
  r.qualified_to_opportunity = rate(r.counts, v1::STAGE_QUALIFIED, v1::STAGE_OPPORTUNITY);
  r.opportunity_to_won = rate(r.counts, v1::STAGE_OPPORTUNITY, v1::STAGE_WON);
  r.response_time = response_time(r.counts);
  return r;
}

}  // namespace

std::string label_or_none(const std::string& s) { return s.empty() ? std::string(kNone) : s; }

std::string funnel_source_key(const std::string& source) {
  return std::string(kFunnelSourcePrefix) + label_or_none(source);
}

std::string funnel_campaign_key(const std::string& campaign) {
  return std::string(kFunnelCampaignPrefix) + label_or_none(campaign);
}

void count(state::FunnelCounts& counts, const FunnelEvent& e) {
  if (e.first) (*counts.mutable_reached())[static_cast<int32_t>(e.stage)] += 1;
  if (!e.disposition.empty()) (*counts.mutable_dispositions())[e.disposition] += 1;
}

void merge(state::FunnelCounts& a, const state::FunnelCounts& b) {
  for (const auto& [k, v] : b.reached()) (*a.mutable_reached())[k] += v;
  for (const auto& [k, v] : b.dispositions()) (*a.mutable_dispositions())[k] += v;
  merge_rep_delays(a, b);
}

std::vector<FunnelRow> funnel_report(const std::map<std::string, state::FunnelCounts>& by_key,
                                     size_t top_n) {
  std::vector<std::pair<std::string, const state::FunnelCounts*>> items;
  for (const auto& [k, v] : by_key) items.emplace_back(k, &v);
  std::stable_sort(items.begin(), items.end(), [](const auto& x, const auto& y) {
    return reached(*x.second, v1::STAGE_CAPTURED) > reached(*y.second, v1::STAGE_CAPTURED);
  });
  std::vector<FunnelRow> out;
  state::FunnelCounts other;
  bool folded = false;
  for (size_t i = 0; i < items.size(); ++i) {
    // A source/campaign literally named "other" always folds with the rest.
    if ((top_n == 0 || i < top_n) && items[i].first != kOther) {
      out.push_back(row(items[i].first, *items[i].second));
    } else {
      merge(other, *items[i].second);
      folded = true;
    }
  }
  if (folded) out.push_back(row(std::string(kOther), std::move(other)));
  return out;
}

BoundedLabels::BoundedLabels(size_t max, std::vector<std::string> pinned)
    : max_(max), pinned_(pinned.begin(), pinned.end()) {}

std::string BoundedLabels::label(const std::string& value) {
  const std::string v = label_or_none(value);
  if (pinned_.count(v) || admitted_.count(v)) return v;
  if (admitted_.size() < max_ && v != kOther) {
    admitted_.insert(v);
    return v;
  }
  return std::string(kOther);
}

}  // namespace baton::feedback
