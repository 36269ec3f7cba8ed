#include "router_system.h"

#include "baton/runtime/events.h"
#include "builders.h"

namespace baton::test::router {

using namespace std::chrono_literals;

std::string write_config(const System& sys) {
  const char* yaml = R"(kafka:
  bootstrap_servers: localhost:9092
runtime:
  application_id: baton-router
router:
  scoring:
    fit:
      - {name: fit.country, field: country, values: [us, de], points: 10}
    intent:
      half_life: 14d
      signals: {demo_request: 40, pricing_page_view: 20, content_download: 5}
    qualification: {fit_min: 0, intent_min: 0}
  tiers:
    - tier: high_intent
      when: {signals_any: [demo_request]}
    - tier: standard
      when: {sales_ready: true}
  rules:
    - {name: to-wt, when: {source: [wt]}, pool: wt}
    - {name: to-ll, when: {source: [ll]}, pool: ll}
    - {name: to-re, when: {source: [re]}, pool: re}
  default_pool: rr
  pools:
    rr: {strategy: round_robin, manager: mgr-rr}
    wt: {strategy: weighted, weights: {wt-1: 3, wt-2: 2, wt-3: 1}}
    ll: {strategy: least_loaded}
    re: {strategy: round_robin, manager: mgr-re}
  identity: {fields: [email], window: 30d}
  free_mail_domains: [gmail.com]
  max_reassignments: 2
  held_retry: 1s
)";
  std::string path = sys.dir() + "/router-test.yaml";
  write_file(path, yaml);
  return path;
}

v1::Rep rep(const std::string& id, const std::vector<std::string>& pools, int capacity) {
  v1::Rep r = always_on_rep(id, pools);
  r.set_capacity(capacity);
  return r;
}

std::vector<v1::Rep> standard_roster() {
  std::vector<v1::Rep> out;
  for (int i = 1; i <= 5; ++i) out.push_back(rep("rr-" + std::to_string(i), {"rr"}));
  for (int i = 1; i <= 3; ++i) out.push_back(rep("wt-" + std::to_string(i), {"wt"}));
  for (int i = 1; i <= 2; ++i) out.push_back(rep("ll-" + std::to_string(i), {"ll"}, 1));
  for (int i = 1; i <= 3; ++i) out.push_back(rep("re-" + std::to_string(i), {"re"}));
  out.push_back(rep("mgr-rr", {}));
  out.push_back(rep("mgr-re", {}));
  return out;
}

void send_roster(System& sys, const std::vector<v1::Rep>& reps) {
  for (const auto& r : reps) sys.send("baton.roster.reps", r.id(), r);
}

v1::LeadCaptured lead(const std::string& id, const std::string& source, const std::string& email) {
  v1::LeadCaptured l;
  auto* env = l.mutable_envelope();
  env->set_event_id("cap-" + id);
  env->set_lead_id(id);
  *env->mutable_event_time() = runtime::to_timestamp(runtime::Clock::now());
  env->set_source_system("web-form");
  l.mutable_person()->set_email(email.empty() ? "p-" + id + "@co-" + id + ".example" : email);
  l.mutable_company()->set_country("us");
  l.set_source(source);
  l.set_trigger_signal("demo_request");
  l.mutable_first_touch()->set_landing_page("/demo");
  return l;
}

std::map<std::string, std::vector<v1::Assignment>> assignments(System& sys) {
  std::map<std::string, std::vector<v1::Assignment>> out;
  for (const auto& r : sys.read("baton.routing.events", 2s)) {
    v1::RoutingEvent ev;
    if (ev.ParseFromString(r.value) && ev.has_assignment())
      out[ev.assignment().envelope().lead_id()].push_back(ev.assignment());
  }
  return out;
}

int count_held(System& sys, const std::string& lead_id) {
  int n = 0;
  for (const auto& r : sys.read("baton.routing.events")) {
    v1::RoutingEvent ev;
    if (ev.ParseFromString(r.value) && ev.has_held() && ev.held().envelope().lead_id() == lead_id)
      ++n;
  }
  return n;
}

bool resolves_to(int port, const std::string& lead_id, const std::string& canonical,
                 std::chrono::milliseconds timeout) {
  return wait_until(
      [&] {
        auto r = http_get(port, "/leads/" + lead_id + "/routing");
        return r && r->status == 200 && r->body.find("\"" + canonical + "\"") != std::string::npos;
      },
      timeout, std::chrono::milliseconds(200));
}

void start_routers(System& sys, int instances) {
  std::string cfg = write_config(sys);
  for (int i = 0; i < instances; ++i) sys.start("router", "r" + std::to_string(i), cfg);
}

bool settle(System& sys, int instances, std::chrono::milliseconds timeout) {
  // Quiet: every instance ready and no record consumed across two
  // consecutive looks (each look spans a lag refresh). The lag gauge is not
  // required to reach 0: a trailing transaction marker can keep it at 1.
  double last_in = -1;
  int quiet_looks = 0;
  return wait_until(
      [&] {
        double in = 0;
        for (int i = 0; i < instances; ++i) {
          int port = sys.port("router", "r" + std::to_string(i));
          auto ready = http_get(port, "/readyz");
          // Absent until the first record is consumed (a labelled family).
          double n = metric(port, "baton_records_in_total").value_or(0);
          if (!ready || ready->status != 200) {
            quiet_looks = 0;
            last_in = -1;
            return false;
          }
          in += n;
        }
        quiet_looks = in == last_in ? quiet_looks + 1 : 0;
        last_in = in;
        return quiet_looks >= 2;
      },
      timeout, 6s);
}

}  // namespace baton::test::router
