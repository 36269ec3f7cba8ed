#include "router_config.h"

#include <chrono>

#include "baton/runtime/calendar_config.h"
#include "baton/v1/contract.h"

namespace baton::router {
namespace {

std::vector<std::string> lower_list(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  out.reserve(in.size());
  for (const auto& s : in) out.push_back(lower(s));
  return out;
}

const std::vector<std::string> kFitFields = {
    "industry", "employee_band",    "revenue_band",  "country",      "region",
    "state",    "seniority",        "title",         "email_domain", "source",
    "language", "product_interest", "company_domain"};
const std::vector<std::string> kRuleFields = {"country",  "region",        "state",
                                              "industry", "employee_band", "revenue_band",
                                              "source",   "language",      "product_interest"};

void read_scoring(runtime::ConfigNode s, ScoringModel& m) {
  int i = 0;
  for (auto& f : s.list("fit")) {
    FitRule r;
    r.field = f.one_of("field", "industry", kFitFields);
    r.name = f.str("name", "fit." + r.field + "." + std::to_string(i));
    r.values = lower_list(f.str_list("values"));
    if (r.values.empty()) f.error("values", "at least one value");
    r.points = f.number("points", 0);
    f.done();
    m.fit.push_back(r);
    ++i;
  }
  auto intent = s.child("intent");
  m.half_life = std::chrono::duration_cast<std::chrono::seconds>(
      intent.duration("half_life", std::chrono::hours(24 * 14)));
  if (m.half_life.count() <= 0) intent.error("half_life", "expected a duration > 0");
  auto pts = intent.child("signals");
  for (auto& [name, node] : intent.entries("signals")) {
    (void)node;
    auto type = signal_from_name(name);
    if (!type) {
      pts.error(name,
                "unknown signal (demo_request, pricing_page_view, content_download, "
                "email_click, webinar_attended, unsubscribe, careers_page_view, "
                "contact_sales, free_trial, page_view)");
      continue;
    }
    m.signal_points[*type] = pts.number(name, 0);
  }
  pts.done();
  intent.done();
  auto q = s.child("qualification");
  m.fit_min = q.number("fit_min", 0);
  m.intent_min = q.number("intent_min", 0);
  q.done();
  s.done();
}

void read_tiers(runtime::ConfigNode& section, std::vector<TierCondition>& tiers) {
  for (auto& t : section.list("tiers")) {
    TierCondition c;
    std::string name = t.one_of("tier", "standard", v1::tier_names());
    c.tier = v1::tier_from_name(name).value_or(v1::TIER_STANDARD);
    auto w = t.child("when");
    if (w.has("fit_min")) c.fit_min = w.number("fit_min", 0);
    if (w.has("intent_min")) c.intent_min = w.number("intent_min", 0);
    if (w.has("sales_ready")) c.sales_ready = w.boolean("sales_ready", true);
    c.sources = lower_list(w.str_list("sources"));
    for (const auto& s : w.str_list("signals_any")) {
      if (auto type = signal_from_name(s)) {
        c.signals_any.push_back(*type);
      } else {
        w.error("signals_any", "unknown signal '" + s + "'");
      }
    }
    w.done();
    t.done();
    tiers.push_back(c);
  }
}

}  // namespace

RouterSettings read_router_config(runtime::ConfigNode& section, const time::ZoneDb& zones) {
  RouterSettings out;
  RoutingConfig& cfg = out.routing;
  auto topics = section.child("topics");
  auto& tp = out.topics;
  tp.captured = topics.str("captured", tp.captured);
  tp.signals = topics.str("signals", tp.signals);
  tp.reassign = topics.str("reassign", tp.reassign);
  tp.routing = topics.str("routing", tp.routing);
  tp.roster = topics.str("roster", tp.roster);
  tp.accounts = topics.str("accounts", tp.accounts);
  tp.identity = topics.str("identity", tp.identity);
  tp.leads = topics.str("leads", tp.leads);
  tp.pool_requests = topics.str("pool_requests", tp.pool_requests);
  tp.erasure = topics.str("erasure", tp.erasure);
  tp.lifecycle = topics.str("lifecycle", tp.lifecycle);
  topics.done();

  auto metrics = section.child("metrics");
  if (metrics.has("sources")) out.metric_sources = lower_list(metrics.str_list("sources"));
  metrics.done();

  read_scoring(section.child("scoring"), cfg.scoring);
  read_tiers(section, cfg.tiers);

  for (auto& r : section.list("rules")) {
    RoutingRule rule;
    rule.name = r.str("name", "");
    rule.pool = r.str("pool", "");
    auto w = r.child("when");
    for (const auto& f : kRuleFields)
      if (w.has(f)) rule.when[f] = lower_list(w.str_list(f));
    w.done();
    r.done();
    cfg.rules.push_back(rule);
  }
  cfg.default_pool = section.str("default_pool", "");

  for (auto& [name, p] : section.entries("pools")) {
    PoolConfig pool;
    pool.name = name;
    std::string s =
        p.one_of("strategy", "round_robin", {"round_robin", "weighted", "least_loaded"});
    pool.strategy = s == "weighted"       ? Strategy::kWeighted
                    : s == "least_loaded" ? Strategy::kLeastLoaded
                                          : Strategy::kRoundRobin;
    pool.fallback = p.str("fallback", "");
    pool.catch_up = p.boolean("catch_up", false);
    pool.manager_rep_id = p.str("manager", "");
    pool.match_language = p.boolean("match_language", false);
    pool.time_zone = p.str("time_zone", "UTC");
    pool.desk = p.str("desk", kDefaultDesk);
    if (pool.desk.empty()) p.error("desk", "expected a desk name (default \"desk\")");
    if (auto zone = zones.load(pool.time_zone); !zone)
      p.error("time_zone",
              "unknown IANA time zone '" + pool.time_zone + "' (" + zone.error().message + ")");
    auto weights = p.child("weights");
    for (auto& [rep, node] : p.entries("weights")) {
      (void)node;
      pool.weights[rep] = weights.number(rep, 1.0);
    }
    weights.done();
    p.done();
    cfg.pools[name] = pool;
  }

  auto id = section.child("identity");
  if (id.has("fields")) cfg.identity.fields = id.str_list("fields");
  for (const auto& f : cfg.identity.fields)
    if (f != "email" && f != "phone" && f.rfind("fields.", 0) != 0)
      id.error("fields", "unsupported identity field '" + f + "' (email, phone, fields.<name>)");
  cfg.identity.window = std::chrono::duration_cast<std::chrono::seconds>(
      id.duration("window", std::chrono::hours(24 * 30)));
  cfg.identity.desk = id.str("desk", "");
  id.done();
  auto account_match = section.child("account_match");
  cfg.match_company_domain = account_match.boolean("company_domain", false);
  account_match.done();
  auto reopen = section.child("reopen");
  cfg.reopen.won_pool = reopen.str("won_pool", "");
  cfg.reopen.won = reopen.boolean("won", true);
  cfg.reopen.lost = reopen.boolean("lost", true);
  cfg.reopen.rejected = reopen.boolean("rejected", true);
  reopen.done();
  auto nurture = section.child("nurture");
  cfg.nurture.pool = nurture.str("pool", "");
  cfg.nurture.enabled = nurture.boolean("enabled", !cfg.nurture.pool.empty());
  nurture.done();
  cfg.captured_owner = section.str("captured_owner", "");
  for (const auto& d : section.str_list("free_mail_domains"))
    cfg.free_mail_domains.insert(lower(d));
  if (!section.has("free_mail_domains"))
    cfg.free_mail_domains = {"gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com",
                             "aol.com",   "gmx.de",    "web.de",      "proton.me"};
  cfg.max_reassignments = static_cast<int>(section.integer("max_reassignments", 2, 0, 100));
  cfg.escalation_max_chain = static_cast<int>(section.integer("escalation_max_chain", 5, 1, 20));
  cfg.held_retry = std::chrono::duration_cast<std::chrono::seconds>(
      section.duration("held_retry", std::chrono::seconds(60)));
  if (cfg.held_retry.count() <= 0) section.error("held_retry", "expected a duration >= 1s");
  cfg.top_engagements = static_cast<int>(section.integer("top_engagements", 5, 0, 50));
  cfg.max_clock_skew = std::chrono::duration_cast<std::chrono::seconds>(
      section.duration("max_clock_skew", std::chrono::hours(24 * 365)));

  cfg.holiday_calendars = runtime::read_holiday_calendars(section);
  for (const auto& issue : time::check_holiday_calendars(cfg.holiday_calendars))
    section.error(issue.field, issue.message);

  for (const auto& issue : validate_config(cfg)) section.error(issue.field, issue.message);
  return out;
}

}  // namespace baton::router
