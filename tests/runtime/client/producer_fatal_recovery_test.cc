// Producers that recover (issue 20, point 4): a fatal error of the idempotent
// producer (librdkafka 2.0.2's sequence desync; injected here with
// rd_kafka_test_fatal_error, as librdkafka's own tests do) makes the client's
// producer rebuild itself and send its records in flight again. Every record
// arrives; some may arrive twice, which Baton's (ce_source, ce_id) dedup
// absorbs.
#include <gtest/gtest.h>

#include <set>

#include "baton/runtime/client.h"
#include "harness.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;
namespace client = runtime::client;

TEST(ProducerFatalRecovery, FatalErrorRebuildsTheProducerAndLosesNoRecord) {
  client::ClientConfig cc;
  cc.bootstrap = bootstrap();
  const std::string topic = unique_name("fatal");
  auto admin = client::Admin::connect(cc);
  ASSERT_TRUE(admin) << admin.error().message;
  std::vector<client::TopicSpec> specs(1);
  specs[0].name = topic;
  specs[0].partitions = 3;
  ASSERT_TRUE((*admin)->create_topics(specs));

  auto opened = client::PlainProducer::open(cc);
  ASSERT_TRUE(opened) << opened.error().message;
  auto& p = *opened.value();
  constexpr int kRecords = 3000;
  for (int i = 0; i < kRecords; ++i) {
    if (i == 1000 || i == 2000) p.inject_fatal_error_for_test("injected by the test");
    auto s = p.produce(topic, "k" + std::to_string(i % 50), std::to_string(i));
    ASSERT_TRUE(s) << "record " << i << ": " << s.message();
  }
  auto flushed = p.flush(60s);
  ASSERT_TRUE(flushed) << flushed.message();
  EXPECT_GE(p.recreated(), 2) << "each injected fatal error rebuilds the producer";
  EXPECT_EQ(p.failed(), 0);

  client::TailOptions o;
  o.topics = {topic};
  auto tail = client::TailConsumer::open(cc, o);
  ASSERT_TRUE(tail) << tail.error().message;
  std::set<int> seen;
  ASSERT_TRUE(wait_until(
      [&] {
        for (int n = 0; n < 500; ++n) {
          auto r = (*tail)->poll(50ms);
          if (!r || !r->has_value()) break;
          seen.insert(std::stoi((**r).value));
        }
        return static_cast<int>(seen.size()) == kRecords;
      },
      60s))
      << seen.size() << " of " << kRecords << " records arrived";
}

}  // namespace
}  // namespace baton::test
