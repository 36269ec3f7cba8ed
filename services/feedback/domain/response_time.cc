#include "response_time.h"

namespace baton::feedback {

const std::vector<double>& rep_delay_bounds() {
  // Seconds to a day: reps answer within minutes, or after a night.
  static const std::vector<double> kBounds = {10,   30,   60,   120,   300,   600,  900,
                                              1800, 3600, 7200, 14400, 28800, 86400};
  return kBounds;
}

void count_rep_delay(state::FunnelCounts& c, int64_t ms) {
  const auto& bounds = rep_delay_bounds();
  const double secs = ms < 0 ? 0.0 : static_cast<double>(ms) / 1000.0;
  size_t i = 0;
  while (i < bounds.size() && secs > bounds[i]) ++i;
  auto* b = c.mutable_rep_delay_buckets();
  while (static_cast<size_t>(b->size()) <= i) b->Add(0);
  b->Set(static_cast<int>(i), b->Get(static_cast<int>(i)) + 1);
}

void merge_rep_delays(state::FunnelCounts& a, const state::FunnelCounts& b) {
  auto* out = a.mutable_rep_delay_buckets();
  while (out->size() < b.rep_delay_buckets_size()) out->Add(0);
  for (int i = 0; i < b.rep_delay_buckets_size(); ++i)
    out->Set(i, out->Get(i) + b.rep_delay_buckets(i));
}

double bucket_quantile(double q, const google::protobuf::RepeatedField<int64_t>& buckets) {
  const auto& bounds = rep_delay_bounds();
  int64_t total = 0;
  for (int64_t n : buckets) total += n;
  if (total == 0) return 0;
  const double rank = q * static_cast<double>(total);
  int64_t below = 0;
  for (int i = 0; i < buckets.size(); ++i) {
    const int64_t n = buckets.Get(i);
    if (n > 0 && static_cast<double>(below + n) >= rank) {
      if (static_cast<size_t>(i) >= bounds.size()) return bounds.back();
      const double lower = i == 0 ? 0.0 : bounds[i - 1];
      const double upper = bounds[i];
      return lower + (upper - lower) * (rank - static_cast<double>(below)) / static_cast<double>(n);
    }
    below += n;
  }
  return bounds.back();
}

ResponseTime response_time(const state::FunnelCounts& c) {
  ResponseTime r;
  for (int64_t n : c.rep_delay_buckets()) r.count += n;
  r.p50_seconds = bucket_quantile(0.5, c.rep_delay_buckets());
  r.p90_seconds = bucket_quantile(0.9, c.rep_delay_buckets());
  return r;
}

}  // namespace baton::feedback
