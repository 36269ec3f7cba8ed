// Upgrade to the identity desk on the real broker, the router as a real
// process (ctest -R RouterIdentityUpgrade): a person record an earlier build
// kept in LeadDesk's store (its changelog) is restored, found by the task's
// on_assigned, carried to the identity desk, and a capture of that person
// under a new lead id merges into the earlier lead instead of getting an
// owner of its own.
#include <gtest/gtest.h>

#include <csignal>

#include "app/processors.h"
#include "baton/runtime/client.h"
#include "baton/v1/router_state.pb.h"
#include "domain/identity.h"
#include "router_system.h"

namespace baton::test::router {
namespace {

using namespace std::chrono_literals;
namespace client = runtime::client;

constexpr const char* kEmail = "returning@buyer.example";

TEST(RouterIdentityUpgrade, APersonInAnEarlierBuildsStoreMergesAfterTheRestart) {
  System sys("router-upgrade");
  sys.create_topics();
  send_roster(sys, standard_roster());
  start_routers(sys, 1);
  ASSERT_TRUE(sys.all_ready(180s)) << sys.dir();

  // P1 captured without an identity: nothing at the identity desk.
  sys.send("baton.leads.captured", "P1", lead("P1", "rr"), "cap-P1");
  ASSERT_TRUE(wait_until([&] { return assignments(sys).count("P1") > 0; }, 120s, 200ms))
      << sys.dir();
  ASSERT_EQ(sys.stop("router", "r0", SIGTERM), std::optional<int>(0)) << sys.dir();

  // What an earlier build kept in LeadDesk's store: the person -> P1.
  v1::LeadCaptured returning = lead("P2", "rr", kEmail);
  baton::router::IdentityConfig identity;
  identity.fields = {"email"};
  const std::string key =
      "person/" + baton::router::identity_hash(baton::router::identity_key(returning, identity));
  v1::IdentityRecord rec;
  rec.set_canonical_lead_id("P1");
  const int64_t now_ms = runtime::to_millis(runtime::Clock::now());
  rec.set_first_seen_ms(now_ms - 3'600'000);
  rec.set_last_seen_ms(now_ms - 3'600'000);
  client::ClientConfig cc;
  cc.bootstrap = bootstrap();
  auto producer = client::PlainProducer::open(cc);
  ASSERT_TRUE(producer) << producer.error().message;
  const std::string changelog =
      sys.application_id("router") + "-" + baton::router::kLeadDeskName + "-changelog";
  ASSERT_TRUE((*producer)->produce(changelog, key, rec.SerializeAsString(), {}, 0));
  ASSERT_TRUE((*producer)->flush(30s));

  start_routers(sys, 1);
  ASSERT_TRUE(sys.all_ready(180s)) << sys.dir();
  const int port = sys.port("router", "r0");
  // The person comes back under a new lead id.
  sys.send("baton.leads.captured", "P2", returning, "cap-P2");
  ASSERT_TRUE(resolves_to(port, "P2", "P1", 120s)) << "P2 did not merge into P1; " << sys.dir();
  auto carried = metric(port, "baton_router_identity_checks_total", "outcome=\"carried\"");
  EXPECT_EQ(carried.value_or(0), 1) << "the earlier build's record was not carried";
  auto all = assignments(sys);
  EXPECT_EQ(all["P1"].size(), 1u);
  EXPECT_EQ(all.count("P2"), 0u) << "a returning person got a second owner across the upgrade";
}

}  // namespace
}  // namespace baton::test::router
