// librdkafka's in-process mock cluster for tests that need no real broker
// (what it cannot do: tests/runtime/engine/mock_txn_fault_test.cc). RAII: the
// cluster and its handle go with the object.
#pragma once

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <cstdint>
#include <string>

namespace baton::test {

class MockCluster {
 public:
  explicit MockCluster(int brokers) {
    char err[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);
    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (rk_) mc_ = rd_kafka_mock_cluster_new(rk_, brokers);
  }
  ~MockCluster() {
    if (mc_) rd_kafka_mock_cluster_destroy(mc_);
    if (rk_) rd_kafka_destroy(rk_);
  }
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;
  bool ok() const { return mc_ != nullptr; }
  std::string bootstraps() const { return rd_kafka_mock_cluster_bootstraps(mc_); }
  // The mock cluster does not implement CreateTopics: tests create every
  // topic up front. leader 0: the cluster's choice.
  void topic(const std::string& name, int partitions, int leader = 0) {
    ASSERT_EQ(rd_kafka_mock_topic_create(mc_, name.c_str(), partitions, 1),
              RD_KAFKA_RESP_ERR_NO_ERROR);
    for (int p = 0; leader > 0 && p < partitions; ++p)
      ASSERT_EQ(rd_kafka_mock_partition_set_leader(mc_, name.c_str(), p, leader),
                RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  // The next request of this API on any broker fails with err.
  void fail_next(int16_t api, rd_kafka_resp_err_t err) {
    rd_kafka_mock_push_request_errors(mc_, api, 1, err);
  }
  // The next request of this API on one broker fails with err.
  void fail_next_on(int32_t broker, int16_t api, rd_kafka_resp_err_t err) {
    ASSERT_EQ(rd_kafka_mock_broker_push_request_error_rtts(mc_, broker, api, 1, err, 0),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }

 private:
  rd_kafka_t* rk_ = nullptr;
  rd_kafka_mock_cluster_t* mc_ = nullptr;
};

}  // namespace baton::test
