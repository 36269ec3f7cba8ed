#include "metrics/runtime_metrics.h"

namespace baton::runtime {

namespace {
using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

prometheus::Histogram::BucketBoundaries latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}
}  // namespace

RuntimeMetrics::RuntimeMetrics(prometheus::Registry& r, const std::string& service)
    : committed(BuildCounter()
                    .Name("baton_transactions_total")
                    .Help("Kafka transactions by result")
                    .Register(r)
                    .Add({{"service", service}, {"result", "committed"}})),
      aborted(BuildCounter()
                  .Name("baton_transactions_total")
                  .Help("Kafka transactions by result")
                  .Register(r)
                  .Add({{"service", service}, {"result", "aborted"}})),
      producer_recreated(BuildCounter()
                             .Name("baton_producer_recreated_total")
                             .Help("Transactional producers recreated after a fatal error")
                             .Register(r)
                             .Add({{"service", service}})),
      duplicates(BuildCounter()
                     .Name("baton_duplicates_total")
                     .Help("Inputs ignored because their event id was already applied")
                     .Register(r)
                     .Add({{"service", service}})),
      commit_seconds(BuildHistogram()
                         .Name("baton_transaction_commit_seconds")
                         .Help("Time to commit one transaction")
                         .Register(r)
                         .Add({{"service", service}}, latency_buckets())),
      flush_seconds(BuildHistogram()
                        .Name("baton_transaction_flush_seconds")
                        .Help("Time to deliver a transaction's records before its commit "
                              "(AddPartitionsToTxn and Produce round trips)")
                        .Register(r)
                        .Add({{"service", service}}, latency_buckets())),
      offsets_seconds(BuildHistogram()
                          .Name("baton_transaction_offsets_seconds")
                          .Help("Time to add a transaction's input offsets to it "
                                "(AddOffsetsToTxn and TxnOffsetCommit round trips)")
                          .Register(r)
                          .Add({{"service", service}}, latency_buckets())),
      end_seconds(BuildHistogram()
                      .Name("baton_transaction_end_seconds")
                      .Help("Time for the coordinator to commit a transaction (EndTxn)")
                      .Register(r)
                      .Add({{"service", service}}, latency_buckets())),
      processing_latency(BuildHistogram()
                             .Name("baton_processing_latency_seconds")
                             .Help("Event time of an input to the commit of its effects")
                             .Register(r)
                             .Add({{"service", service}}, latency_buckets())),
      timer_lateness(BuildHistogram()
                         .Name("baton_timer_lateness_seconds")
                         .Help("Due time of a timer to its firing")
                         .Register(r)
                         .Add({{"service", service}}, latency_buckets())),
      timers_pending(BuildGauge()
                         .Name("baton_timers_pending")
                         .Help("Durable timers waiting (counted up to 1e6 per task)")
                         .Register(r)
                         .Add({{"service", service}})),
      restoring(BuildGauge()
                    .Name("baton_restoring")
                    .Help("1 while state is restored from the changelog")
                    .Register(r)
                    .Add({{"service", service}})),
      restore_progress(BuildGauge()
                           .Name("baton_restore_progress_ratio")
                           .Help("Progress of the running restore, 0..1")
                           .Register(r)
                           .Add({{"service", service}})),
      restore_seconds(BuildGauge()
                          .Name("baton_restore_seconds")
                          .Help("Duration of the last restore")
                          .Register(r)
                          .Add({{"service", service}})),
      restored_records(BuildCounter()
                           .Name("baton_restored_records_total")
                           .Help("Changelog records applied by restores")
                           .Register(r)
                           .Add({{"service", service}})),
      restore_held(BuildGauge()
                       .Name("baton_restore_held_partitions")
                       .Help("Changelog partitions whose restore waits for an open transaction")
                       .Register(r)
                       .Add({{"service", service}})),
      ready(BuildGauge()
                .Name("baton_ready")
                .Help("1 when the instance is ready (restored, assigned)")
                .Register(r)
                .Add({{"service", service}})),
      assigned_partitions(BuildGauge()
                              .Name("baton_assigned_partitions")
                              .Help("Input partitions assigned to this instance")
                              .Register(r)
                              .Add({{"service", service}})),
      service_(service),
      in_(BuildCounter().Name("baton_records_in_total").Help("Records consumed").Register(r)),
      out_(BuildCounter().Name("baton_records_out_total").Help("Records produced").Register(r)),
      dlq_(BuildCounter()
               .Name("baton_dead_letters_total")
               .Help("Records sent to the dead-letter topic, by reason and source topic")
               .Register(r)),
      misplaced_(BuildCounter()
                     .Name("baton_input_misplaced_total")
                     .Help("Input records on another partition than the one owning their key, "
                           "moved there")
                     .Register(r)),
      skipped_(BuildCounter()
                   .Name("baton_input_skipped_total")
                   .Help("Bad records on a shared topic, skipped: its owning service "
                         "dead-letters them")
                   .Register(r)),
      lag_(BuildGauge()
               .Name("baton_consumer_lag")
               .Help("Records between the committed position and the end of a partition")
               .Register(r)) {}

prometheus::Counter& RuntimeMetrics::records_in(const std::string& topic) {
  return in_.Add({{"service", service_}, {"topic", topic}});
}
prometheus::Counter& RuntimeMetrics::records_out(const std::string& topic) {
  return out_.Add({{"service", service_}, {"topic", topic}});
}
prometheus::Counter& RuntimeMetrics::dead_letters(const std::string& reason,
                                                  const std::string& topic) {
  return dlq_.Add({{"service", service_}, {"reason", reason}, {"topic", topic}});
}
prometheus::Counter& RuntimeMetrics::input_misplaced(const std::string& topic) {
  return misplaced_.Add({{"service", service_}, {"topic", topic}});
}
prometheus::Counter& RuntimeMetrics::input_skipped(const std::string& topic,
                                                   const std::string& reason) {
  return skipped_.Add({{"service", service_}, {"topic", topic}, {"reason", reason}});
}
prometheus::Gauge& RuntimeMetrics::consumer_lag(const std::string& topic, int partition) {
  return lag_.Add(
      {{"service", service_}, {"topic", topic}, {"partition", std::to_string(partition)}});
}
void RuntimeMetrics::remove_lag(const std::string& topic, int partition) {
  lag_.Remove(&consumer_lag(topic, partition));
}

}  // namespace baton::runtime
