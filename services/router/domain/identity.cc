#include "identity.h"

#include <algorithm>
#include <cctype>

#include "baton/time/time.h"

namespace baton::router {
namespace {

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

std::string normalise_email(std::string_view email) {
  std::string e = lower(trim(email));
  auto at = e.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == e.size()) return e;
  std::string local = e.substr(0, at);
  std::string domain = e.substr(at + 1);
  if (domain == "googlemail.com") domain = "gmail.com";
  if (auto plus = local.find('+'); plus != std::string::npos && plus > 0) local.resize(plus);
  if (domain == "gmail.com") std::erase(local, '.');
  return local + "@" + domain;
}

std::string email_domain(std::string_view email) {
  std::string e = normalise_email(email);
  auto at = e.rfind('@');
  if (at == std::string::npos) return {};
  return e.substr(at + 1);
}

std::string lead_field(const v1::LeadCaptured& l, std::string_view f) {
  const auto& p = l.person();
  const auto& c = l.company();
  if (f == "email") return normalise_email(p.email());
  if (f == "email_domain") return email_domain(p.email());
  if (f == "phone") {
    std::string d;
    for (char ch : p.phone())
      if (std::isdigit(static_cast<unsigned char>(ch))) d += ch;
    return d;
  }
  if (f == "industry") return lower(trim(c.industry()));
  if (f == "employee_band") return lower(trim(c.employee_band()));
  if (f == "revenue_band") return lower(trim(c.revenue_band()));
  if (f == "country") return lower(trim(c.country()));
  if (f == "region") return lower(trim(c.region()));
  if (f == "state") return lower(trim(c.state()));
  if (f == "company_domain") return lower(trim(c.domain()));
  if (f == "seniority") return lower(trim(p.seniority()));
  if (f == "title") return lower(trim(p.title()));
  if (f == "language") {
    std::string lang = lower(trim(p.language()));
    return lang.substr(0, lang.find('-'));  // "de-AT" -> "de"
  }
  if (f == "source") return lower(trim(l.source()));
  if (f == "product_interest") return lower(trim(l.product_interest()));
  if (f.rfind("fields.", 0) == 0) {
    auto it = l.fields().find(std::string(f.substr(7)));
    return it == l.fields().end() ? std::string() : lower(trim(it->second));
  }
  return {};
}

std::string identity_key(const v1::LeadCaptured& lead, const IdentityConfig& cfg) {
  std::string key;
  bool any = false;
  for (const auto& f : cfg.fields) {
    std::string v = lead_field(lead, f);
    any = any || !v.empty();
    if (!key.empty()) key += '|';
    key += v;
  }
  return any ? key : std::string();
}

IdentityDecision decide_identity(const v1::LeadCaptured& lead, const v1::IdentityRecord* existing,
                                 const IdentityConfig& cfg, TimePoint now) {
  IdentityDecision d;
  int64_t now_ms = time::to_millis(now);
  int64_t window_ms = std::chrono::duration_cast<std::chrono::milliseconds>(cfg.window).count();
  const std::string& id = lead.envelope().lead_id();
  if (existing && !existing->canonical_lead_id().empty() &&
      (existing->canonical_lead_id() == id || now_ms - existing->last_seen_ms() <= window_ms)) {
    d.record = *existing;
    d.canonical_lead_id = existing->canonical_lead_id();
    d.merged = d.canonical_lead_id != id;
    d.record.set_last_seen_ms(std::max(existing->last_seen_ms(), now_ms));
    return d;
  }
  d.canonical_lead_id = id;
  d.record.set_canonical_lead_id(id);
  d.record.set_first_seen_ms(now_ms);
  d.record.set_last_seen_ms(now_ms);
  return d;
}

v1::IdentityRecord adopt_carried(const v1::IdentityRecord* existing,
                                 const v1::IdentityRecord& carried) {
  if (!existing || existing->canonical_lead_id().empty()) return carried;
  v1::IdentityRecord out = *existing;
  if (carried.first_seen_ms() > 0 &&
      (out.first_seen_ms() == 0 || carried.first_seen_ms() < out.first_seen_ms()))
    out.set_first_seen_ms(carried.first_seen_ms());
  return out;
}

std::optional<AccountMatch> match_account(const v1::LeadCaptured& lead,
                                          const std::set<std::string>& free_mail,
                                          const AccountLookup& lookup, bool company_domain) {
  const std::string email = lead_field(lead, "email_domain");
  if (!email.empty() && !free_mail.count(email))
    if (auto acc = lookup(email)) return AccountMatch{*acc, kMatchedByEmailDomain};
  if (!company_domain) return std::nullopt;
  const std::string company = lead_field(lead, "company_domain");
  if (!company.empty() && !free_mail.count(company))
    if (auto acc = lookup(company)) return AccountMatch{*acc, kMatchedByCompanyDomain};
  return std::nullopt;
}

void AccountIndex::add(v1::Account account) {
  const size_t at = accounts_.size();
  for (const auto& d : account.domains()) by_domain_.emplace(lower(d), at);  // first one wins
  accounts_.push_back(std::move(account));
}

const v1::Account* AccountIndex::find(const std::string& domain) const {
  auto it = by_domain_.find(domain);
  return it == by_domain_.end() ? nullptr : &accounts_[it->second];
}

AccountLookup AccountIndex::lookup() const {
  return [this](const std::string& domain) -> std::optional<v1::Account> {
    if (const v1::Account* a = find(domain)) return *a;
    return std::nullopt;
  };
}

}  // namespace baton::router
