// Who a lead is: normalised identity, same-person merge, lead-to-account.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "baton/v1/lead.pb.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/router_state.pb.h"
#include "config.h"

namespace baton::router {

// Lower case, trimmed; "+tag" removed; dots removed for gmail.com.
std::string normalise_email(std::string_view email);
// Domain of the normalised email ("" when none); googlemail.com -> gmail.com.
std::string email_domain(std::string_view email);

// A lead's value for a rule/scoring field, lower case ("" if absent).
// Fields: email, email_domain, phone, industry, employee_band, revenue_band,
// country, region, state, seniority, title, source, language,
// product_interest, company_domain, or "fields.<name>".
std::string lead_field(const v1::LeadCaptured& lead, std::string_view field);

// Identity key from the configured fields; "" when none is present (such a
// lead is never merged).
std::string identity_key(const v1::LeadCaptured& lead, const IdentityConfig& cfg);

struct IdentityDecision {
  std::string canonical_lead_id;
  bool merged = false;
  v1::IdentityRecord record;  // to store
};

// Same person within the window merges into the first lead; outside the
// window (or a first capture) the captured lead becomes the canonical one.
IdentityDecision decide_identity(const v1::LeadCaptured& lead, const v1::IdentityRecord* existing,
                                 const IdentityConfig& cfg, TimePoint now);

// A person record an earlier build kept in LeadDesk's store, carried to the
// identity desk after an upgrade: kept when the desk has none. One the desk
// already has (the person came back after the upgrade, before the carry
// arrived) stays the canonical one, first seen at the earlier of the two.
v1::IdentityRecord adopt_carried(const v1::IdentityRecord* existing,
                                 const v1::IdentityRecord& carried);

// Account whose domains contain the lead's email domain; free-mail domains
// never match. The lead's self-declared company.domain is tried only when
// `company_domain` is set (router.account_match.company_domain): a gmail
// address naming a customer's domain is not that customer by default.
using AccountLookup = std::function<std::optional<v1::Account>(const std::string& domain)>;
inline constexpr const char* kMatchedByEmailDomain = "email_domain";
inline constexpr const char* kMatchedByCompanyDomain = "company_domain (self-declared)";
struct AccountMatch {
  v1::Account account;
  std::string by;  // kMatchedBy*
};
// The accounts table by lower-cased domain: a lookup is one hash-map find.
// Add accounts in table (key) order; the first account naming a domain keeps
// it, as a scan of the table in that order finds it.
class AccountIndex {
 public:
  void add(v1::Account account);
  // The account naming `domain` (compared as given: pass it lower case).
  const v1::Account* find(const std::string& domain) const;
  size_t size() const { return accounts_.size(); }
  // A lookup over this index (which must outlive it).
  AccountLookup lookup() const;

 private:
  std::vector<v1::Account> accounts_;
  std::unordered_map<std::string, size_t> by_domain_;  // index into accounts_
};

std::optional<AccountMatch> match_account(const v1::LeadCaptured& lead,
                                          const std::set<std::string>& free_mail,
                                          const AccountLookup& lookup, bool company_domain = false);

}  // namespace baton::router
