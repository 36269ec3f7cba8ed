// Upgrading to the identity desk keeps the person view (ctest -R
// IdentityUpgrade). An earlier build kept "person/<hash>" in LeadDesk's store
// (the identity topic's partitions); this build keeps it at the identity
// desk. LeadDesk hands each such record to the desk (PersonCarried) at its
// timer ticks (Processor::on_tick; the driver's advance()), and forwards the checks and erasures
// still read from the identity topic after the record they need, so a person captured before the
// upgrade still merges and an erased one is still forgotten. The router's two processors on the
// in-process TopologyDriver; a test moves the desk's record into LeadDesk's
// store to build the earlier layout.
#include <gtest/gtest.h>

#include "app/erasure.h"
#include "app/identity_desk.h"
#include "app/processors.h"
#include "baton/runtime/events.h"
#include "baton/v1/router_state.pb.h"
#include "domain/identity.h"
#include "harness/samples.h"
#include "router_driver.h"

namespace baton::router {
namespace {

using namespace std::chrono_literals;

constexpr const char* kEmail = "returning@buyer.example";

struct Upgraded : test::RouterDriver {
  Upgraded() {
    v1::Rep r;
    r.set_id("rep-x");
    r.add_pools("dach");
    r.add_pools("general");
    r.set_time_zone("UTC");
    r.set_active(true);
    put(r);
  }
  std::string person() const {
    const auto l = fuzz::sample_lead("any", "any-cap", fuzz::fuzz_now());
    auto with_email = l;
    with_email.mutable_person()->set_email(kEmail);
    return "person/" + identity_hash(identity_key(with_email, s->routing.identity));
  }
  v1::LeadCaptured lead(const std::string& id, const std::string& email, runtime::TimePoint at) {
    auto l = fuzz::sample_lead(id, id + "-cap", at);
    l.mutable_person()->set_email(email);
    return l;
  }
  void capture(const std::string& id, const std::string& email, runtime::TimePoint at) {
    d.pipe(s->topics.captured, id, lead(id, email, at), at);
    ASSERT_TRUE(d.rejections().empty()) << d.rejection_details()[0];
  }
  // L-old captured by the earlier build: its person record in LeadDesk's
  // store, none at the desk; then the task is restored on this build.
  void earlier_build_captured_the_person(runtime::TimePoint at) {
    capture("L-old", kEmail, at);
    auto record = d.state(kPoolDeskName).get(person());
    ASSERT_TRUE(record) << "the desk keeps the person record";
    runtime::Effects move_out, move_in;
    move_out.del(person());
    move_in.put(person(), *record);
    d.mutable_state(kPoolDeskName).apply(move_out);
    d.mutable_state(kLeadDeskName).apply(move_in);
    leads->on_assigned(0, d.state(kLeadDeskName));
  }
  v1::LeadState lead_state(const std::string& id) const {
    v1::LeadState st;
    if (auto raw = d.state(kLeadDeskName).get("lead/" + id)) st.ParseFromString(*raw);
    return st;
  }
  size_t carried() const {
    size_t n = 0;
    for (const auto& rec : d.output(s->topics.pool_requests))
      n += rec.is_type(kPersonCarriedType) ? 1 : 0;
    return n;
  }
  // A record on the identity topic, as an earlier build wrote it.
  runtime::Record on_identity_topic(const std::string& key, const google::protobuf::Message& m,
                                    const char* type, runtime::TimePoint at) {
    runtime::Record in;
    in.topic = s->topics.identity;
    in.key = key;
    in.value = m.SerializeAsString();
    in.timestamp_ms = runtime::to_millis(at);
    in.headers.push_back({"ce_id", key + "-" + type});
    in.headers.push_back({"ce_type", type});
    in.source = "baton-router";
    return in;
  }
};

TEST(IdentityUpgrade, APersonKeptByAnEarlierBuildStillMerges) {
  Upgraded r;
  const auto t0 = fuzz::fuzz_now();
  r.earlier_build_captured_the_person(t0);
  ASSERT_EQ(r.assignments("L-old").size(), 1u);

  // The first tick after the restore carries the person to the desk,
  // whatever traffic the partition has.
  r.d.advance(t0 + 1h);
  EXPECT_EQ(r.carried(), 1u);
  EXPECT_FALSE(r.d.state(kLeadDeskName).get(r.person())) << "handed over, not copied";
  auto at_desk = r.d.state(kPoolDeskName).get(r.person());
  ASSERT_TRUE(at_desk);
  v1::IdentityRecord rec;
  ASSERT_TRUE(rec.ParseFromString(*at_desk));
  EXPECT_EQ(rec.canonical_lead_id(), "L-old");
  EXPECT_EQ(r.identity_checks("carried"), 1);

  // The person comes back under a new lead id, from another source.
  r.capture("L-new", kEmail, t0 + 2h);
  EXPECT_TRUE(r.assignments("L-new").empty()) << "one owner per person across the upgrade";
  EXPECT_EQ(r.lead_state("L-new").canonical_lead_id(), "L-old");
  EXPECT_EQ(r.identity_checks("merged"), 1);

  // Nothing is left to carry: later ticks carry nothing more.
  r.d.advance(t0 + 3h);
  EXPECT_EQ(r.carried(), 1u);
}

// A partition keeps more records than one tick carries (500): the ticks go
// on until none is left, and each person is carried once.
TEST(IdentityUpgrade, ManyRecordsAreCarriedOverSeveralTicks) {
  Upgraded r;
  const auto t0 = fuzz::fuzz_now();
  runtime::Effects earlier;
  for (int i = 0; i < 1201; ++i) {
    v1::IdentityRecord rec;
    rec.set_canonical_lead_id("L-" + std::to_string(i));
    rec.set_first_seen_ms(runtime::to_millis(t0));
    rec.set_last_seen_ms(runtime::to_millis(t0));
    earlier.put("person/p" + std::to_string(1000 + i), rec.SerializeAsString());
  }
  r.d.mutable_state(kLeadDeskName).apply(earlier);
  r.leads->on_assigned(0, r.d.state(kLeadDeskName));
  r.d.advance(t0 + 1s);
  EXPECT_EQ(r.carried(), 1201u);
  EXPECT_EQ(r.identity_checks("carried"), 1201);
  size_t left = 0;
  r.d.state(kLeadDeskName).scan("person/", [&](std::string_view, std::string_view) {
    ++left;
    return true;
  });
  EXPECT_EQ(left, 0u);
}

TEST(IdentityUpgrade, NothingIsCarriedWhenNoEarlierRecordIsKept) {
  Upgraded r;
  const auto t0 = fuzz::fuzz_now();
  r.leads->on_assigned(0, r.d.state(kLeadDeskName));
  r.capture("L-1", kEmail, t0);
  r.d.advance(t0 + 1s);
  r.capture("L-2", "other@else.example", t0 + 2s);
  EXPECT_EQ(r.carried(), 0u);
  EXPECT_EQ(r.identity_checks("carried"), 0);
}

// A check an earlier build sent on the identity topic, read after the
// upgrade: it goes on to the desk behind the person record it needs.
TEST(IdentityUpgrade, ACheckFromTheIdentityTopicGoesToTheDeskAfterItsPerson) {
  Upgraded r;
  const auto t0 = fuzz::fuzz_now();
  r.earlier_build_captured_the_person(t0);
  v1::IdentityCheck check;  // as a build before "decided at capture" sent it
  *check.mutable_lead() = r.lead("L-late", kEmail, t0 + 1h);
  const std::string hash = r.person().substr(std::string("person/").size());
  check.set_identity_key(hash);
  r.d.pipe(r.on_identity_topic(hash, check, kIdentityCheckType, t0 + 1h), t0 + 1h);
  ASSERT_TRUE(r.d.rejections().empty()) << r.d.rejection_details()[0];
  EXPECT_EQ(r.carried(), 1u);
  EXPECT_TRUE(r.assignments("L-late").empty());
  EXPECT_EQ(r.identity_checks("merged"), 1) << "resolved at the desk over the carried person";
  EXPECT_EQ(r.lead_state("L-late").canonical_lead_id(), "L-old");
}

// An erasure notice read from the identity topic after the record was
// carried: the desk forgets the person too.
TEST(IdentityUpgrade, AnErasureFromTheIdentityTopicForgetsTheCarriedPerson) {
  Upgraded r;
  const auto t0 = fuzz::fuzz_now();
  r.earlier_build_captured_the_person(t0);
  r.d.advance(t0 + 1h);
  ASSERT_TRUE(r.d.state(kPoolDeskName).get(r.person())) << "carried";
  v1::ErasureRequest notice;
  notice.mutable_envelope()->set_lead_id("L-old");
  notice.mutable_envelope()->set_event_id("erase-1");
  const std::string hash = r.person().substr(std::string("person/").size());
  r.d.pipe(r.on_identity_topic(hash, notice, kIdentityErasureType, t0 + 2h), t0 + 2h);
  ASSERT_TRUE(r.d.rejections().empty()) << r.d.rejection_details()[0];
  EXPECT_FALSE(r.d.state(kPoolDeskName).get(r.person()));
  EXPECT_FALSE(r.d.state(kLeadDeskName).get(r.person()));
  EXPECT_EQ(r.identity_checks("erased"), 1);
}

// A person record that does not parse is not dropped in silence: carried
// without its value, dead-lettered at the desk.
TEST(IdentityUpgrade, ARecordThatDoesNotParseIsDeadLetteredAtTheDesk) {
  Upgraded r;
  const auto t0 = fuzz::fuzz_now();
  runtime::Effects earlier;
  earlier.put("person/pbroken", std::string("\xff\xff\xff", 3));
  r.d.mutable_state(kLeadDeskName).apply(earlier);
  r.leads->on_assigned(0, r.d.state(kLeadDeskName));
  r.d.advance(t0);
  EXPECT_EQ(r.carried(), 1u);
  ASSERT_EQ(r.d.rejections().size(), 1u);
  EXPECT_FALSE(r.d.state(kLeadDeskName).get("person/pbroken"));
  EXPECT_FALSE(r.d.state(kPoolDeskName).get("person/pbroken"));
}

// A desk that does not know the type (an earlier build's replica during
// the roll reads a PersonCarried as a pool request): dead-lettered, never
// dropped in silence. Shown here by a type this build does not know.
TEST(IdentityUpgrade, ADeskThatDoesNotKnowTheTypeDeadLettersIt) {
  Upgraded r;
  const auto t0 = fuzz::fuzz_now();
  v1::PersonCarried carried;
  carried.set_identity_key("p0123456789abcdef");
  carried.mutable_record()->set_canonical_lead_id("L-old");
  carried.mutable_record()->set_first_seen_ms(runtime::to_millis(t0));
  runtime::Record in;
  in.topic = r.s->topics.pool_requests;
  in.key = "desk-general";
  in.value = carried.SerializeAsString();
  in.headers.push_back({"ce_id", "carry-1"});
  in.headers.push_back({"ce_type", "baton.v2.PersonCarried"});
  r.d.pipe(in, t0);
  ASSERT_EQ(r.d.rejections().size(), 1u) << "read as a pool request and refused";
  EXPECT_TRUE(r.d.state(kPoolDeskName).get("person/p0123456789abcdef") == std::nullopt);
}

// This build's erasure reaches the desk twice (directly, and again through
// the identity topic for a record carried late): one person forgotten.
TEST(IdentityUpgrade, AnErasureReachingTheDeskTwiceForgetsOnePerson) {
  Upgraded r;
  const auto t0 = fuzz::fuzz_now();
  r.capture("L-1", kEmail, t0);
  ASSERT_TRUE(r.d.state(kPoolDeskName).get(r.person()));
  v1::ErasureRequest req;
  req.mutable_envelope()->set_lead_id("L-1");
  req.mutable_envelope()->set_event_id("erase-L-1");
  r.d.pipe(r.s->topics.erasure, "L-1", req, t0 + 1h);
  ASSERT_TRUE(r.d.rejections().empty()) << r.d.rejection_details()[0];
  EXPECT_FALSE(r.d.state(kPoolDeskName).get(r.person()));
  EXPECT_EQ(r.identity_checks("erased"), 1);
}

}  // namespace
}  // namespace baton::router
