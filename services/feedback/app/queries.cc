#include "app/queries.h"

#include "app/codec.h"
#include "domain/erasure.h"

namespace baton::feedback::app {
namespace {

// Sums every task's aggregate under `prefix`, keyed by the rest of the key.
template <typename M, typename Add>
std::map<std::string, M> sum_by_key(const runtime::StateScan& scan, std::string_view prefix,
                                    Add add) {
  std::map<std::string, M> out;
  if (!scan) return out;
  scan(kProcessorName, prefix, [&](std::string_view key, std::string_view value) {
    M m;
    if (m.ParseFromArray(value.data(), static_cast<int>(value.size())))
      add(out[std::string(key.substr(prefix.size()))], m);
    return true;
  });
  return out;
}

}  // namespace

runtime::QueryResponse timeline_query(const runtime::StateLookup& lookup, const std::string& id) {
  if (!lookup) return {503, error_json("state not ready")};
  bool corrupt = false;
  auto lead = parse_state<state::LeadRecord>(lookup(kProcessorName, lead_key(id)), &corrupt);
  if (corrupt) return {500, error_json("stored lead record does not decode")};
  if (!lead && lookup(kProcessorName, erased_key(id))) return {404, error_json("lead erased")};
  if (!lead) return {404, error_json("unknown lead (never seen here)")};
  return {200, timeline_json(*lead)};
}

runtime::QueryResponse funnel_query(const runtime::StateScan& scan, const std::string& by,
                                    const FeedbackConfig& config) {
  if (by != "source" && by != "campaign")
    return {400, error_json("by must be 'source' or 'campaign'")};
  const auto prefix = by == "source" ? kFunnelSourcePrefix : kFunnelCampaignPrefix;
  const auto counts = sum_by_key<state::FunnelCounts>(
      scan, prefix, [](state::FunnelCounts& a, const state::FunnelCounts& b) { merge(a, b); });
  const size_t top = by == "source" ? config.top_sources : config.top_campaigns;
  return {200, funnel_json(by, funnel_report(counts, top))};
}

runtime::QueryResponse calibration_query(const runtime::StateScan& scan,
                                         const FeedbackConfig& config) {
  const auto bands = sum_by_key<state::BandCounts>(
      scan, kCalibrationPrefix, [](state::BandCounts& a, const state::BandCounts& b) {
        a.set_handed_off(a.handed_off() + b.handed_off());
        a.set_converted(a.converted() + b.converted());
      });
  const auto& p = config.policy.calibration;
  return {200, calibration_json(calibrate(bands, p), p)};
}

void install_routes(runtime::QueryRouter& router, const FeedbackConfig& config) {
  // The admin server keeps its own copy of the router: capture the functions.
  const runtime::StateLookup lookup = router.lookup;
  const runtime::StateScan scan = router.scan;
  // The reports' aggregates: every replica's tasks are summed (any replica answers).
  for (auto prefix : {kFunnelSourcePrefix, kFunnelCampaignPrefix, kCalibrationPrefix})
    router.share(std::string(kProcessorName), std::string(prefix));
  router.get(
      R"(/leads/([^/]+)/timeline)", runtime::QueryScope::kLead,
      [lookup](const runtime::QueryRequest& q) { return timeline_query(lookup, q.params.at(0)); });
  router.get(R"(/funnel)", runtime::QueryScope::kReport,
             [scan, config](const runtime::QueryRequest& q) {
               auto it = q.query.find("by");
               return funnel_query(scan, it == q.query.end() ? "source" : it->second, config);
             });
  router.get(
      R"(/calibration)", runtime::QueryScope::kReport,
      [scan, config](const runtime::QueryRequest&) { return calibration_query(scan, config); });
}

}  // namespace baton::feedback::app
