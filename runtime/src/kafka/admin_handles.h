// RAII owners of librdkafka's admin-API C handles, shared by every admin
// request (create_topics.cc, describe_group.cc).
#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>

namespace baton::runtime::kafka {

struct AdminOptionsFree {
  void operator()(rd_kafka_AdminOptions_t* o) const { rd_kafka_AdminOptions_destroy(o); }
};
struct QueueFree {
  void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); }
};
struct EventFree {
  void operator()(rd_kafka_event_t* e) const { rd_kafka_event_destroy(e); }
};
using AdminOptionsPtr = std::unique_ptr<rd_kafka_AdminOptions_t, AdminOptionsFree>;
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, QueueFree>;
using EventPtr = std::unique_ptr<rd_kafka_event_t, EventFree>;

// One admin request on a queue of its own: options for `op` with timeout_ms
// as its request timeout, and as its operation timeout where `op` has one
// (librdkafka refuses it, changing nothing, for DescribeConsumerGroups);
// send(options, queue) issues the request. Returns the reply event, or null
// when none came within timeout_ms + 2 s.
template <typename Send>
EventPtr admin_request(rd_kafka_t* rk, rd_kafka_admin_op_t op, int timeout_ms, Send&& send) {
  char errstr[512];
  AdminOptionsPtr options(rd_kafka_AdminOptions_new(rk, op));
  rd_kafka_AdminOptions_set_request_timeout(options.get(), timeout_ms, errstr, sizeof errstr);
  rd_kafka_AdminOptions_set_operation_timeout(options.get(), timeout_ms, errstr, sizeof errstr);
  QueuePtr queue(rd_kafka_queue_new(rk));
  send(options.get(), queue.get());
  return EventPtr(rd_kafka_queue_poll(queue.get(), timeout_ms + 2000));
}

}  // namespace baton::runtime::kafka
