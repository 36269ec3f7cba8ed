// The runtime's own Prometheus metrics (names shared with the dashboard).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string>

namespace baton::runtime {

class RuntimeMetrics {
 public:
  RuntimeMetrics(prometheus::Registry& r, const std::string& service);

  prometheus::Counter& records_in(const std::string& topic);
  prometheus::Counter& records_out(const std::string& topic);
  // By reason and by the topic the bad record came from (bounded: inputs).
  prometheus::Counter& dead_letters(const std::string& reason, const std::string& topic);
  // Records whose producer put them on another partition than murmur2(key).
  prometheus::Counter& input_misplaced(const std::string& topic);
  // Bad records on a shared topic that its owning service dead-letters.
  prometheus::Counter& input_skipped(const std::string& topic, const std::string& reason);
  prometheus::Gauge& consumer_lag(const std::string& topic, int partition);
  void remove_lag(const std::string& topic, int partition);

  prometheus::Counter& committed;
  prometheus::Counter& aborted;
  prometheus::Counter& producer_recreated;
  prometheus::Counter& duplicates;
  prometheus::Histogram& commit_seconds;
  prometheus::Histogram& flush_seconds;
  prometheus::Histogram& offsets_seconds;
  prometheus::Histogram& end_seconds;
  prometheus::Histogram& processing_latency;
  prometheus::Histogram& timer_lateness;
  prometheus::Gauge& timers_pending;
  prometheus::Gauge& restoring;
  prometheus::Gauge& restore_progress;
  prometheus::Gauge& restore_seconds;
  prometheus::Counter& restored_records;
  prometheus::Gauge& restore_held;
  prometheus::Gauge& ready;
  prometheus::Gauge& assigned_partitions;

 private:
  std::string service_;
  prometheus::Family<prometheus::Counter>& in_;
  prometheus::Family<prometheus::Counter>& out_;
  prometheus::Family<prometheus::Counter>& dlq_;
  prometheus::Family<prometheus::Counter>& misplaced_;
  prometheus::Family<prometheus::Counter>& skipped_;
  prometheus::Family<prometheus::Gauge>& lag_;
};

}  // namespace baton::runtime
