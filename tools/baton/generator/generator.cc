#include "generator/generator.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "baton/v1/lead.pb.h"
#include "generator/catalog.h"
#include "generator/random.h"
#include "proto_util.h"

namespace baton::cli::gen {
namespace {

std::chrono::milliseconds nominal(double seconds, double time_scale) {
  return std::chrono::milliseconds(std::llround(seconds * 1000.0 / std::max(time_scale, 1e-6)));
}

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

struct PersonDraw {
  v1::Person person;
  size_t company = 0;
};

// The person of lead `index`: a function of (seed, index) alone, so a
// duplicate capture can draw the same person again.
PersonDraw person_for(uint64_t seed, int64_t index) {
  Random r(mix64(seed * 0x100000001b3ULL + static_cast<uint64_t>(index) + 7));
  PersonDraw d;
  d.company = r.below(companies().size());
  const auto& company = companies()[d.company];
  const auto& first = r.pick(first_names());
  const auto& last = r.pick(last_names());
  const auto& title = r.pick(titles());
  d.person.set_first_name(first);
  d.person.set_last_name(last);
  d.person.set_email(lower_ascii(first + "." + last) + "@" + company.domain);
  char phone[32];
  std::snprintf(phone, sizeof phone, "+1 555 01%02u %04u", static_cast<unsigned>(r.below(100)),
                static_cast<unsigned>(r.below(10000)));
  d.person.set_phone(phone);
  d.person.set_title(title.title);
  d.person.set_seniority(title.seniority);
  d.person.set_language(company.language);
  return d;
}

v1::Touch make_touch(TimePoint at, const SourceProfile& src, const Campaign& c) {
  v1::Touch t;
  *t.mutable_time() = to_timestamp(at);
  t.set_url(std::string(kSiteUrl) + c.landing_page + "?utm_source=" + src.source +
            "&utm_medium=" + src.medium + "&utm_campaign=" + c.name);
  t.set_landing_page(c.landing_page);
  t.set_referrer(src.referrer);
  t.set_ad_id(c.ad_id);
  t.set_ad_message(c.ad_message);
  t.set_source(src.source);
  t.set_medium(src.medium);
  t.set_campaign(c.name);
  return t;
}

}  // namespace

std::string canonical_bytes(const GeneratedEvent& e) {
  const int64_t ms = time::to_millis(e.at);
  std::string out = std::to_string(ms) + "|" + std::to_string(static_cast<int>(e.topic)) + "|" +
                    e.key + "|" + e.event_id + "|" + e.ce_type + "|" + e.source + "|";
  out += std::to_string(e.value.size()) + ":" + e.value + "\n";
  return out;
}

std::string lead_id_for(uint64_t seed, int64_t index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "L%04x-%06lld", static_cast<unsigned>(mix64(seed) & 0xffff),
                static_cast<long long>(index) + 1);
  return buf;
}

LeadStream::LeadStream(GeneratorOptions options) : options_(options) {
  if (options_.rate <= 0) options_.rate = 1;
  if (options_.time_scale <= 0) options_.time_scale = 1;
}

TimePoint LeadStream::lead_time(int64_t index) const {
  return options_.start + std::chrono::milliseconds(
                              std::llround(static_cast<double>(index) * 1000.0 / options_.rate));
}

std::optional<TimePoint> LeadStream::peek_time() const {
  bool more_leads = options_.count <= 0 || next_lead_ < options_.count;
  if (pending_.empty()) {
    if (more_leads) return lead_time(next_lead_);
    return std::nullopt;
  }
  TimePoint t = pending_.top().first.at;
  if (more_leads) t = std::min(t, lead_time(next_lead_));
  return t;
}

std::optional<GeneratedEvent> LeadStream::next() {
  while ((options_.count <= 0 || next_lead_ < options_.count) &&
         (pending_.empty() || lead_time(next_lead_) <= pending_.top().first.at)) {
    make_lead(next_lead_++);
  }
  if (pending_.empty()) return std::nullopt;
  GeneratedEvent e = pending_.top().first;
  pending_.pop();
  return e;
}

void LeadStream::push(GeneratedEvent e) { pending_.emplace(std::move(e), seq_++); }

void LeadStream::make_lead(int64_t index) {
  const uint64_t seed = options_.seed;
  Random r(mix64(seed ^ mix64(static_cast<uint64_t>(index) + 1)));
  const TimePoint at = lead_time(index);
  const std::string lead_id = lead_id_for(seed, index);
  const uint64_t id_base = static_cast<uint64_t>(index) * 64;

  std::vector<double> weights;
  for (const auto& s : sources()) weights.push_back(s.weight);
  const auto& src = sources()[r.weighted(weights)];
  const auto& campaign = r.pick(src.campaigns);

  // 4% of captures are the same person again (a second form fill).
  int64_t person_index = index;
  if (index > 10 && r.chance(0.04)) person_index = index - 1 - static_cast<int64_t>(r.below(10));
  PersonDraw draw = person_for(seed, person_index);
  const auto& company = companies()[draw.company];

  const Trigger& trigger = src.source == "webinar" ? triggers()[4] : r.pick(triggers());
  const auto& first_src = sources()[r.weighted(weights)];
  const auto& first_campaign = r.pick(first_src.campaigns);

  v1::LeadCaptured lead;
  auto* env = lead.mutable_envelope();
  env->set_event_id(uuid_from(seed, id_base));
  *env->mutable_event_time() = to_timestamp(at);
  static const std::vector<std::string> kSystems = {"web-form", "hubspot", "marketo"};
  env->set_source_system(r.pick(kSystems));
  env->set_lead_id(lead_id);
  env->set_schema_version("v1");
  env->set_correlation_id(uuid_from(seed, id_base + 1));
  *lead.mutable_person() = draw.person;
  auto* co = lead.mutable_company();
  co->set_name(company.name);
  co->set_domain(company.domain);
  co->set_industry(company.industry);
  co->set_employee_band(company.employee_band);
  co->set_revenue_band(company.revenue_band);
  co->set_country(company.country);
  co->set_region(company.region);
  lead.mutable_consent()->set_email_opt_in(r.chance(0.85));
  lead.mutable_consent()->set_phone_opt_in(r.chance(0.4));
  lead.mutable_consent()->set_policy_version("2024-03");
  lead.set_source(src.source);
  lead.set_medium(src.medium);
  lead.set_campaign(campaign.name);
  *lead.mutable_first_touch() = make_touch(
      at - std::chrono::hours(24 * (1 + static_cast<int>(r.below(60)))), first_src, first_campaign);
  *lead.mutable_latest_touch() = make_touch(at, src, campaign);
  lead.set_form_id(trigger.form_id);
  lead.set_hand_raise_reason(trigger.reason);
  lead.set_product_interest(r.pick(products()));
  static const std::vector<std::string> kCrms = {"salesforce", "hubspot", "pipedrive", "none"};
  static const std::vector<std::string> kTeams = {"1-5", "6-20", "21-50", "51-200"};
  (*lead.mutable_fields())["current_crm"] = r.pick(kCrms);
  (*lead.mutable_fields())["sales_team_size"] = r.pick(kTeams);
  lead.set_trigger_signal(trigger.signal);

  GeneratedEvent captured{at,
                          TopicRole::kLeadsCaptured,
                          lead_id,
                          env->event_id(),
                          "baton.v1.LeadCaptured",
                          env->source_system(),
                          deterministic_bytes(lead)};
  push(captured);
  // 3% of captures are delivered twice (an upstream retry: same event id).
  if (r.chance(0.03)) {
    GeneratedEvent again = captured;
    again.at = at + nominal(2, options_.time_scale);
    push(std::move(again));
  }

  // The engagement sequence after the capture.
  const bool hand_raised = trigger.signal == "demo_request" || trigger.signal == "contact_sales";
  const int signals = static_cast<int>(r.below(hand_raised ? 3 : 5));
  static const std::vector<std::pair<v1::SignalType, double>> kKinds = {
      {v1::SIGNAL_PRICING_PAGE_VIEW, 25}, {v1::SIGNAL_PAGE_VIEW, 25},
      {v1::SIGNAL_CONTENT_DOWNLOAD, 15},  {v1::SIGNAL_EMAIL_CLICK, 15},
      {v1::SIGNAL_DEMO_REQUEST, 10},      {v1::SIGNAL_WEBINAR_ATTENDED, 4},
      {v1::SIGNAL_CAREERS_PAGE_VIEW, 4},  {v1::SIGNAL_UNSUBSCRIBE, 2},
  };
  std::vector<double> kind_weights;
  kind_weights.reserve(kKinds.size());
  for (const auto& k : kKinds) kind_weights.push_back(k.second);
  double offset = 0;
  for (int k = 0; k < signals; ++k) {
    offset += r.uniform(20, 600);
    const TimePoint sat = at + nominal(offset, options_.time_scale);
    const auto type = kKinds[r.weighted(kind_weights)].first;
    std::string page = type == v1::SIGNAL_PRICING_PAGE_VIEW   ? "/pricing"
                       : type == v1::SIGNAL_DEMO_REQUEST      ? "/demo"
                       : type == v1::SIGNAL_CAREERS_PAGE_VIEW ? "/careers"
                                                              : r.pick(content_pages());
    v1::EngagementSignal sig;
    auto* senv = sig.mutable_envelope();
    senv->set_event_id(uuid_from(seed, id_base + 2 + static_cast<uint64_t>(k)));
    *senv->mutable_event_time() = to_timestamp(sat);
    senv->set_source_system("web-analytics");
    senv->set_lead_id(lead_id);
    senv->set_schema_version("v1");
    senv->set_correlation_id(env->correlation_id());
    sig.set_type(type);
    sig.set_url(std::string(kSiteUrl) + page);
    *sig.mutable_touch() = make_touch(sat, src, campaign);
    sig.mutable_touch()->set_url(sig.url());
    sig.mutable_touch()->set_landing_page(page);
    push({sat, TopicRole::kLeadsSignals, lead_id, senv->event_id(), "baton.v1.EngagementSignal",
          "web-analytics", deterministic_bytes(sig)});
  }
}

}  // namespace baton::cli::gen
