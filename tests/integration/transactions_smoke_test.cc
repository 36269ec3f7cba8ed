// Smoke test on the real broker started by the ctest fixture (scripts/kafka):
// a transactional producer aborts one transaction and commits another; a
// read_committed consumer reads to the end and sees exactly the committed records.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr int kTimeoutMs = 30000;

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const {
    if (rd_kafka_type(rk) == RD_KAFKA_PRODUCER) rd_kafka_flush(rk, kTimeoutMs);
    rd_kafka_destroy(rk);
  }
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); }
};
struct EventDeleter {
  void operator()(rd_kafka_event_t* e) const { rd_kafka_event_destroy(e); }
};
struct ErrorDeleter {
  void operator()(rd_kafka_error_t* e) const { rd_kafka_error_destroy(e); }
};
struct NewTopicDeleter {
  void operator()(rd_kafka_NewTopic_t* t) const { rd_kafka_NewTopic_destroy(t); }
};
struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const {
    rd_kafka_topic_partition_list_destroy(l);
  }
};
struct MessageDeleter {
  void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
};

using Kafka = std::unique_ptr<rd_kafka_t, KafkaDeleter>;
using Error = std::unique_ptr<rd_kafka_error_t, ErrorDeleter>;

std::string ReadBootstrap() {
  const char* file = std::getenv("BATON_TEST_BOOTSTRAP_FILE");
  if (file == nullptr) return "";
  std::ifstream in(file);
  std::string address;
  std::getline(in, address);
  return address;
}

std::string UniqueSuffix() {
  std::random_device rd;
  return std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) + "-" +
         std::to_string(rd() % 100000);
}

Kafka MakeClient(rd_kafka_type_t type,
                 const std::vector<std::pair<std::string, std::string>>& settings) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  for (const auto& [key, value] : settings) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      ADD_FAILURE() << key << ": " << err;
    }
  }
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
  if (rk == nullptr) {
    ADD_FAILURE() << "rd_kafka_new: " << err;
    rd_kafka_conf_destroy(conf);
  }
  return Kafka(rk);
}

// Creates a one-partition topic and waits (bounded) for the broker's answer.
void CreateTopic(rd_kafka_t* rk, const std::string& topic) {
  char err[512];
  std::unique_ptr<rd_kafka_NewTopic_t, NewTopicDeleter> new_topic(
      rd_kafka_NewTopic_new(topic.c_str(), 1, 1, err, sizeof err));
  ASSERT_NE(new_topic, nullptr) << err;
  std::unique_ptr<rd_kafka_queue_t, QueueDeleter> queue(rd_kafka_queue_new(rk));
  rd_kafka_NewTopic_t* topics[] = {new_topic.get()};
  rd_kafka_CreateTopics(rk, topics, 1, nullptr, queue.get());
  std::unique_ptr<rd_kafka_event_t, EventDeleter> event(
      rd_kafka_queue_poll(queue.get(), 2 * kTimeoutMs));
  ASSERT_NE(event, nullptr) << "no CreateTopics result";
  ASSERT_EQ(rd_kafka_event_error(event.get()), RD_KAFKA_RESP_ERR_NO_ERROR)
      << rd_kafka_event_error_string(event.get());
  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event.get());
  ASSERT_NE(result, nullptr);
  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &count);
  ASSERT_EQ(count, 1u);
  EXPECT_EQ(rd_kafka_topic_result_error(results[0]), RD_KAFKA_RESP_ERR_NO_ERROR)
      << rd_kafka_topic_result_error_string(results[0]);
}

void ExpectOk(rd_kafka_error_t* raw, const char* what) {
  Error error(raw);
  EXPECT_EQ(error, nullptr) << what << ": " << rd_kafka_error_string(error.get());
}

void Produce(rd_kafka_t* rk, const std::string& topic, const std::string& value) {
  rd_kafka_resp_err_t err = rd_kafka_producev(
      rk, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(0), RD_KAFKA_V_KEY("lead-1", 6),
      RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
  EXPECT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_err2str(err);
}

// Reads partition 0 from the beginning until end-of-partition; returns the values.
std::vector<std::string> ReadToEnd(rd_kafka_t* rk, const std::string& topic) {
  std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter> parts(
      rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(parts.get(), topic.c_str(), 0)->offset =
      RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_resp_err_t err = rd_kafka_assign(rk, parts.get());
  EXPECT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_err2str(err);
  std::vector<std::string> values;
  // Bounded: at most ~120 polls of 500 ms; exits as soon as the end is reached.
  for (int i = 0; i < 240; ++i) {
    std::unique_ptr<rd_kafka_message_t, MessageDeleter> msg(rd_kafka_consumer_poll(rk, 500));
    if (!msg) continue;
    if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) return values;
    if (msg->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      // Consumer errors are informational here (e.g. while the new topic's metadata
      // propagates); the assertion on the values read decides.
      std::printf("consume error (continuing): %s\n", rd_kafka_message_errstr(msg.get()));
      continue;
    }
    values.emplace_back(static_cast<const char*>(msg->payload), msg->len);
  }
  ADD_FAILURE() << "end of partition not reached";
  return values;
}

TEST(TransactionsSmokeTest, ReadCommittedSeesOnlyTheCommittedTransaction) {
  const std::string bootstrap = ReadBootstrap();
  ASSERT_FALSE(bootstrap.empty()) << "BATON_TEST_BOOTSTRAP_FILE unset or empty (run via ctest)";
  const std::string suffix = UniqueSuffix();
  const std::string topic = "baton.test.smoke." + suffix;

  {
    Kafka admin = MakeClient(RD_KAFKA_PRODUCER, {{"bootstrap.servers", bootstrap}});
    ASSERT_NE(admin, nullptr);
    CreateTopic(admin.get(), topic);
    if (HasFatalFailure()) return;
  }

  Kafka producer = MakeClient(RD_KAFKA_PRODUCER, {{"bootstrap.servers", bootstrap},
                                                  {"transactional.id", "baton-smoke-" + suffix},
                                                  {"enable.idempotence", "true"},
                                                  {"acks", "all"}});
  ASSERT_NE(producer, nullptr);
  ExpectOk(rd_kafka_init_transactions(producer.get(), 2 * kTimeoutMs), "init_transactions");

  ExpectOk(rd_kafka_begin_transaction(producer.get()), "begin (aborted)");
  for (int i = 0; i < 3; ++i) Produce(producer.get(), topic, "aborted-" + std::to_string(i));
  EXPECT_EQ(rd_kafka_flush(producer.get(), kTimeoutMs), RD_KAFKA_RESP_ERR_NO_ERROR);
  ExpectOk(rd_kafka_abort_transaction(producer.get(), kTimeoutMs), "abort_transaction");

  ExpectOk(rd_kafka_begin_transaction(producer.get()), "begin (committed)");
  for (int i = 0; i < 3; ++i) Produce(producer.get(), topic, "committed-" + std::to_string(i));
  ExpectOk(rd_kafka_commit_transaction(producer.get(), kTimeoutMs), "commit_transaction");
  ASSERT_FALSE(HasFailure());

  Kafka consumer = MakeClient(RD_KAFKA_CONSUMER, {{"bootstrap.servers", bootstrap},
                                                  {"group.id", "baton-smoke-" + suffix},
                                                  {"isolation.level", "read_committed"},
                                                  {"enable.auto.commit", "false"},
                                                  {"enable.partition.eof", "true"}});
  ASSERT_NE(consumer, nullptr);
  std::vector<std::string> values = ReadToEnd(consumer.get(), topic);
  EXPECT_EQ(values, (std::vector<std::string>{"committed-0", "committed-1", "committed-2"}));
  rd_kafka_consumer_close(consumer.get());
}

}  // namespace
