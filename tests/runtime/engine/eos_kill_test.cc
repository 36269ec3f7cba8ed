// Exactly-once under kill -9: the reference processor works through 50,000
// inputs while the test kills it with SIGKILL at random moments; every
// input's effect and every timer's effect must appear exactly once.
#include "refproc/refproc_fixture.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;

TEST_F(RefProcFixture, SigkillAtRandomMomentsLosesAndDuplicatesNothing) {
  produce_inputs(0, 50000);
  int port = free_port();
  EXPECT_GE(kill_at_random(12, 50000, port), 10);
  finish(50000, port);
  verify_exactly_once();
}

}  // namespace
}  // namespace baton::test
