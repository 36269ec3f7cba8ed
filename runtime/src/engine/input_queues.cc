#include "engine/input_queues.h"

#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace baton::runtime {

namespace {
constexpr char kWake = 'w';
constexpr int kWaitMs = 10;

bool timed_out(const RdKafka::Message& m) { return m.err() == RdKafka::ERR__TIMED_OUT; }
}  // namespace

InputQueues::~InputQueues() {
  if (internal_ && consumer_) {
    // The consumer's queue outlives this object: stop its writes to the pipe.
    rd_kafka_queue_t* q = rd_kafka_queue_get_consumer(consumer_->c_ptr());
    if (q) {
      rd_kafka_queue_io_event_enable(q, -1, nullptr, 0);
      rd_kafka_queue_destroy(q);
    }
  }
  internal_.reset();
  close_pipe();
}

void InputQueues::close_pipe() noexcept {
  for (int& fd : pipe_)
    if (fd >= 0) {
      ::close(fd);
      fd = -1;
    }
}

Status InputQueues::open(RdKafka::KafkaConsumer& consumer, bool has_internal) {
  consumer_ = &consumer;
  if (!has_internal) return Status::ok();
  if (::pipe2(pipe_, O_NONBLOCK | O_CLOEXEC) != 0)
    return Error{"engine.queues",
                 std::string("cannot create the wake-up pipe: ") + std::strerror(errno)};
  internal_.reset(RdKafka::Queue::create(&consumer));
  if (!internal_) return Error{"engine.queues", "cannot create the internal topics' queue"};
  internal_->io_event_enable(pipe_[1], &kWake, 1);
  rd_kafka_queue_t* q = rd_kafka_queue_get_consumer(consumer.c_ptr());
  if (!q) return Error{"engine.queues", "the consumer has no queue"};
  rd_kafka_queue_io_event_enable(q, pipe_[1], &kWake, 1);
  rd_kafka_queue_destroy(q);
  return Status::ok();
}

void InputQueues::route(const std::vector<RdKafka::TopicPartition*>& internal_parts) {
  if (!internal_) return;
  for (const auto* p : internal_parts) {
    std::unique_ptr<RdKafka::Queue> q(consumer_->get_partition_queue(p));
    if (q) q->forward(internal_.get());
  }
}

std::unique_ptr<RdKafka::Message> InputQueues::next(bool wait) {
  if (!internal_) return std::unique_ptr<RdKafka::Message>(consumer_->consume(wait ? kWaitMs : 0));
  for (int round = 0;; ++round) {
    // Empty the pipe first: a queue that fills after the reads below writes
    // to it again (a read of an empty queue re-arms its io event).
    char buf[64];
    while (::read(pipe_[0], buf, sizeof buf) > 0) {
    }
    std::unique_ptr<RdKafka::Message> m(internal_->consume(0));
    if (!timed_out(*m)) return m;
    m.reset(consumer_->consume(0));
    if (!timed_out(*m) || !wait || round == 1) return m;
    pollfd pfd{pipe_[0], POLLIN, 0};
    (void)::poll(&pfd, 1, kWaitMs);
  }
}

}  // namespace baton::runtime
