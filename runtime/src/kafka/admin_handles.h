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

}  // namespace baton::runtime::kafka
