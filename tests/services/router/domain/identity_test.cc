#include "domain/identity.h"

#include <gtest/gtest.h>

#include "domain/rules.h"
#include "fixtures.h"

namespace baton::router {
namespace {

using test::at;

TEST(Identity, NormalisesEmail) {
  struct {
    const char* in;
    const char* out;
  } cases[] = {{" Jane.Doe@Acme.COM ", "jane.doe@acme.com"},
               {"jane+promo@acme.com", "jane@acme.com"},
               {"Jane.Doe+x@gmail.com", "janedoe@gmail.com"},
               {"j.doe@googlemail.com", "jdoe@gmail.com"},
               {"not-an-email", "not-an-email"}};
  for (const auto& c : cases) EXPECT_EQ(normalise_email(c.in), c.out) << c.in;
  EXPECT_EQ(email_domain("x@Sub.Acme.com"), "sub.acme.com");
}

v1::LeadCaptured capture(const std::string& id, const std::string& email) {
  v1::LeadCaptured l;
  l.mutable_envelope()->set_lead_id(id);
  l.mutable_person()->set_email(email);
  return l;
}

TEST(Identity, SamePersonWithinWindowMergesIntoFirstLead) {
  IdentityConfig cfg;
  cfg.window = std::chrono::hours(24);
  auto first =
      decide_identity(capture("L1", "jane@acme.com"), nullptr, cfg, at("2024-03-01T10:00:00Z"));
  EXPECT_EQ(first.canonical_lead_id, "L1");
  EXPECT_FALSE(first.merged);
  struct {
    const char* when;
    const char* canonical;
    bool merged;
  } cases[] = {{"2024-03-01T20:00:00Z", "L1", true}, {"2024-03-03T10:00:00Z", "L2", false}};
  for (const auto& c : cases) {
    auto d = decide_identity(capture("L2", "Jane+x@ACME.com"), &first.record, cfg, at(c.when));
    EXPECT_EQ(d.canonical_lead_id, c.canonical) << c.when;
    EXPECT_EQ(d.merged, c.merged) << c.when;
  }
  // The same lead captured twice is never a merge.
  auto again = decide_identity(capture("L1", "jane@acme.com"), &first.record, cfg,
                               at("2024-05-01T10:00:00Z"));
  EXPECT_EQ(again.canonical_lead_id, "L1");
  EXPECT_FALSE(again.merged);
}

// A person record carried from an earlier build's store (IdentityUpgrade):
// adopted when the desk has none; the desk's own (the person came back
// before the carry arrived) stays canonical, first seen at the earlier time.
TEST(Identity, ACarriedPersonIsAdoptedUnlessTheDeskHasOne) {
  v1::IdentityRecord carried;
  carried.set_canonical_lead_id("L-old");
  carried.set_first_seen_ms(1000);
  carried.set_last_seen_ms(2000);
  auto adopted = adopt_carried(nullptr, carried);
  EXPECT_EQ(adopted.canonical_lead_id(), "L-old");
  EXPECT_EQ(adopted.last_seen_ms(), 2000);

  v1::IdentityRecord desk;
  desk.set_canonical_lead_id("L-new");
  desk.set_first_seen_ms(5000);
  desk.set_last_seen_ms(5000);
  auto kept = adopt_carried(&desk, carried);
  EXPECT_EQ(kept.canonical_lead_id(), "L-new");
  EXPECT_EQ(kept.first_seen_ms(), 1000);
  EXPECT_EQ(kept.last_seen_ms(), 5000);
}

TEST(Identity, KeyUsesConfiguredFields) {
  IdentityConfig cfg;
  cfg.fields = {"email", "phone"};
  auto l = capture("L1", "A@b.com");
  l.mutable_person()->set_phone("+49 (30) 123");
  EXPECT_EQ(identity_key(l, cfg), "a@b.com|4930123");
  EXPECT_EQ(identity_key(capture("L2", ""), IdentityConfig{}), "");
}

TEST(Account, MatchesEmailDomainButNeverFreeMail) {
  v1::Account acme;
  acme.set_id("A1");
  acme.add_domains("acme.com");
  acme.set_owner_rep_id("r-owner");
  AccountLookup lookup = [&](const std::string& d) -> std::optional<v1::Account> {
    if (d == "acme.com") return acme;
    return std::nullopt;
  };
  std::set<std::string> free = {"gmail.com"};
  struct {
    const char* email;
    const char* company_domain;
    bool use_company;  // router.account_match.company_domain
    const char* account;
    const char* by;
  } cases[] = {{"jane@ACME.com", "", false, "A1", kMatchedByEmailDomain},
               {"jane@gmail.com", "", false, "", ""},
               // A free-mail address naming a customer's domain: not by default.
               {"jane@gmail.com", "acme.com", false, "", ""},
               {"jane@gmail.com", "acme.com", true, "A1", kMatchedByCompanyDomain},
               {"jane@acme.com", "other.com", true, "A1", kMatchedByEmailDomain},
               {"jane@other.com", "", true, "", ""}};
  for (const auto& c : cases) {
    auto l = capture("L", c.email);
    l.mutable_company()->set_domain(c.company_domain);
    auto got = match_account(l, free, lookup, c.use_company);
    EXPECT_EQ(got ? got->account.id() : "", c.account) << c.email << " " << c.company_domain;
    EXPECT_EQ(got ? got->by : "", c.by) << c.email;
  }
}

TEST(Rules, FirstMatchWinsAndDefaultCatchesTheRest) {
  auto cfg = test::base_config();
  struct {
    const char* country;
    const char* source;
    const char* rule;
    const char* pool;
  } cases[] = {{"DE", "web", "dach", "dach"},
               {"us", "Webinar", "webinar-us", "us"},
               {"US", "web", "default", "general"},
               {"", "", "default", "general"}};
  for (const auto& c : cases) {
    v1::LeadCaptured l;
    l.mutable_company()->set_country(c.country);
    l.set_source(c.source);
    auto r = match_rule(l, cfg.rules, cfg.default_pool);
    EXPECT_EQ(r.rule, c.rule) << c.country << "/" << c.source;
    EXPECT_EQ(r.pool, c.pool);
  }
  v1::LeadCaptured de;
  de.mutable_company()->set_country("DE");
  EXPECT_EQ(match_rule(de, cfg.rules, "general").reason, "country=de in [de,at,ch]");
}

TEST(Config, ValidationNamesTheField) {
  auto cfg = test::base_config();
  cfg.rules.push_back({"bad", {}, "nowhere"});
  cfg.pools["us"].weights["r1"] = 0;
  cfg.pools["us"].fallback = "missing";
  auto issues = validate_config(cfg);
  std::vector<std::string> fields;
  fields.reserve(issues.size());
  for (const auto& i : issues) fields.push_back(i.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"rules[2].pool", "pools.us.fallback",
                                              "pools.us.weights.r1"}));
}

TEST(Config, NurturePoolMustBeAKnownPoolWhenEnabled) {
  auto cfg = test::base_config();
  cfg.nurture = {true, "marketing"};
  auto issues = validate_config(cfg);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].field, "nurture.pool");
  cfg.nurture = {true, ""};
  ASSERT_EQ(validate_config(cfg).size(), 1u);
  EXPECT_EQ(validate_config(cfg)[0].message, "required when nurture.enabled is true");
  cfg.nurture = {false, "marketing"};
  EXPECT_TRUE(validate_config(cfg).empty()) << "disabled: not checked";
}

}  // namespace
}  // namespace baton::router
