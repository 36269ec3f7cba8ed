// Response time by source and by campaign (issue 19 point 2): the rep delay
// (an assignment, first or reassignment, to its owner's first touch) counted
// in fixed buckets inside each funnel aggregate (FunnelCounts
// .rep_delay_buckets), so /funnel can give p50/p90 per source and per
// campaign from feedback's state. Fixed bounds keep an aggregate bounded
// (one counter per bucket) and let tasks and replicas be summed; the
// quantiles are estimated within a bucket by linear interpolation, as
// Prometheus' histogram_quantile does.
#pragma once

#include <cstdint>
#include <vector>

#include "baton/feedback/state.pb.h"

namespace baton::feedback {

// Upper bounds in seconds (ascending), shared with the
// baton_feedback_rep_delay_seconds histograms. Changing them changes the
// meaning of stored aggregates: only append.
const std::vector<double>& rep_delay_bounds();

// Counts one rep delay (milliseconds; negative counts as 0).
void count_rep_delay(state::FunnelCounts& c, int64_t ms);
// Adds b's rep delay buckets into a.
void merge_rep_delays(state::FunnelCounts& a, const state::FunnelCounts& b);

struct ResponseTime {
  int64_t count = 0;  // rep delays measured
  double p50_seconds = 0;
  double p90_seconds = 0;
};

ResponseTime response_time(const state::FunnelCounts& c);
// The q-quantile (0..1) of the bucket counts (index i: <= bound i, last
// index above every bound; such a value reports the highest bound). 0 when
// there is nothing counted.
double bucket_quantile(double q, const google::protobuf::RepeatedField<int64_t>& buckets);

}  // namespace baton::feedback
