// An input topic whose partition count differs from its co-partitioned
// siblings stops start-up with an error naming the topic and both counts
// (issue 16): keys could not be placed consistently across the two.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "baton/runtime/client.h"
#include "system.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;

TEST(PartitionCount, MismatchedInputStopsStartUpNamingTheTopicAndBothCounts) {
  System sys("partcount");
  runtime::client::ClientConfig cc;
  cc.bootstrap = bootstrap();
  auto admin = runtime::client::Admin::connect(cc);
  ASSERT_TRUE(admin) << admin.error().message;
  std::vector<runtime::client::TopicSpec> specs(1);
  specs[0].name = sys.topic("baton.sales.activities");
  specs[0].partitions = 3;
  ASSERT_TRUE((*admin)->create_topics(specs));
  sys.create_topics();  // the others with 6; the existing one is kept
  sys.start("sla-monitor", "s0");
  auto code = sys.stop("sla-monitor", "s0", 0);  // signal 0: only wait for the exit
  ASSERT_TRUE(code.has_value()) << "sla-monitor kept running; logs in " << sys.dir();
  EXPECT_NE(*code, 0);
  std::ifstream in(sys.child("sla-monitor", "s0").log_path());
  std::stringstream log;
  log << in.rdbuf();
  EXPECT_NE(log.str().find(sys.topic("baton.sales.activities") + "' has 3, expected 6"),
            std::string::npos)
      << log.str();
}

}  // namespace
}  // namespace baton::test
