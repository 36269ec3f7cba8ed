// Internal topics first. A service's internal topics (the router's identity
// checks, intakes and pool requests) carry work already taken in; its
// external inputs carry new work. With one consumer queue both wait in one
// FIFO, and behind a backlog of captures a lead's next step waits for every
// capture fetched before it. Worse, librdkafka's prefetch limit
// (queued.max.messages.kbytes) applies to the queue a partition forwards to:
// a queue full of captures stops the fetch of the internal partitions too.
//
// InputQueues gives the internal partitions a queue of their own (Kafka
// Streams keeps a buffer per partition for the same reason): each internal
// partition's fetch queue is forwarded to it before the partition is assigned,
// and next() serves it before the consumer's queue. Order within a partition
// is unchanged (a partition feeds one queue); so are offsets, rebalances
// (served by the consumer's queue) and the exactly-once loop. Nothing starves:
// internal records only come from external ones.
//
// Waiting for either queue: both signal a pipe when they become non-empty
// (librdkafka's io events), and next() polls that pipe.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <vector>

#include "baton/runtime/status.h"

namespace baton::runtime {

class InputQueues {
 public:
  InputQueues() = default;
  ~InputQueues();
  InputQueues(const InputQueues&) = delete;
  InputQueues& operator=(const InputQueues&) = delete;

  // After the consumer is created; with no internal topic it does nothing,
  // and next() reads the consumer's queue alone.
  Status open(RdKafka::KafkaConsumer& consumer, bool has_internal);
  // In the rebalance callback, before assign(): the internal partitions'
  // fetch queues are forwarded to the internal queue. librdkafka clears the
  // forward when a partition's fetch stops, so every assignment sets it again.
  void route(const std::vector<RdKafka::TopicPartition*>& internal_parts);
  // The next record, error or timeout: internal queue first. wait: block up
  // to 10 ms for either queue; else return at once.
  std::unique_ptr<RdKafka::Message> next(bool wait);

 private:
  void close_pipe() noexcept;
  RdKafka::KafkaConsumer* consumer_ = nullptr;
  std::unique_ptr<RdKafka::Queue> internal_;
  int pipe_[2] = {-1, -1};  // io events of both queues: read end, write end
};

}  // namespace baton::runtime
