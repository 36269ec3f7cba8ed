// baton timeline <lead-id>: from the feedback query listener (bearer token,
// TLS when the URL is https), else from the topics.
#include <httplib.h>

#include <cstdio>
#include <cstdlib>

#include "commands.h"
#include "pretty.h"
#include "timeline_view.h"

namespace baton::cli {
namespace {

struct TimelineFlags {
  std::string lead;
  std::string query = "https://127.0.0.1:8443";
  std::string token;    // default: $BATON_QUERY_TOKEN
  std::string ca_file;  // https: the CA that signed the listener's certificate
  bool utc = false;
  bool topics_only = false;
  double timeout = 30;
};

std::string url_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

void print(const std::vector<TimelineStep>& steps, bool utc) {
  for (const auto& line : render_timeline(steps, utc)) std::printf("%s\n", line.c_str());
}

// Scans every Baton topic from the beginning for the lead's records.
int from_topics(const Globals& g, const TimelineFlags& f) {
  auto config = client_config(g);
  auto admin = client::Admin::connect(config);
  if (!admin) return fail(admin.error());
  auto existing = (*admin)->list_topics();
  if (!existing) return fail(existing.error());
  client::TailOptions options;
  for (const auto& t : topic_catalog()) {
    if (!t.lead_keyed) continue;
    std::string name = topic_name(t.role, g.prefix);
    if (std::find(existing->begin(), existing->end(), name) != existing->end())
      options.topics.push_back(name);
  }
  if (options.topics.empty()) return fail(Error{"kafka.unknown_topic", "no Baton topic exists"});
  auto consumer = client::TailConsumer::open(config, options);
  if (!consumer) return fail(consumer.error());
  std::vector<TimelineStep> steps;
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(f.timeout * 1000));
  while (std::chrono::steady_clock::now() < deadline) {
    auto rec = (*consumer)->poll(std::chrono::milliseconds(200));
    if (!rec) return fail(rec.error());
    if (!*rec) {
      if ((*consumer)->at_end()) break;
      continue;
    }
    if ((*rec)->key != f.lead) continue;
    auto msg = decode_record(**rec, find_topic((*rec)->topic, g.prefix));
    if (!msg) continue;
    auto at = event_time(*msg).value_or(TimePoint(std::chrono::milliseconds((*rec)->timestamp_ms)));
    steps.push_back({at, describe(*msg, f.lead)});
  }
  if (steps.empty())
    return fail(Error{"input.lead", "no event found for lead " + f.lead + " in the topics"});
  print(steps, f.utc);
  return kOk;
}

int run_timeline(const Globals& g, const TimelineFlags& f) {
  if (!f.topics_only) {
    std::string token = f.token;
    if (const char* env = std::getenv("BATON_QUERY_TOKEN"); token.empty() && env) token = env;
    httplib::Client http(f.query);
    http.set_connection_timeout(2, 0);
    http.set_read_timeout(5, 0);
    if (!f.ca_file.empty()) http.set_ca_cert_path(f.ca_file.c_str());
    if (!token.empty()) http.set_bearer_token_auth(token.c_str());
    auto res = http.Get(("/leads/" + url_escape(f.lead) + "/timeline").c_str());
    if (res && (res->status == 401 || res->status == 403))
      return fail(Error{"input.token", "feedback at " + f.query + " refused the query (HTTP " +
                                           std::to_string(res->status) +
                                           "): pass --token or set BATON_QUERY_TOKEN to a token "
                                           "with leads:read"});
    if (res && res->status == 200) {
      auto steps = parse_timeline_json(res->body);
      if (!steps) return fail(steps.error());
      print(*steps, f.utc);
      return kOk;
    }
    if (res && res->status == 404)
      return fail(Error{"input.lead", "feedback at " + f.query + " does not know lead " + f.lead});
    std::fprintf(stderr, "baton: feedback query listener %s %s; reading the topics instead\n",
                 f.query.c_str(),
                 res ? ("answered HTTP " + std::to_string(res->status)).c_str() : "unreachable");
  }
  return from_topics(g, f);
}

}  // namespace

void add_timeline_command(CLI::App& app, Globals& g, int& rc) {
  auto f = std::make_shared<TimelineFlags>();
  auto* tl =
      app.add_subcommand("timeline", "A lead's handoff story, one line per step with durations");
  tl->add_option("lead", f->lead, "Lead id")->required();
  tl->add_option("--query", f->query, "Feedback service query listener URL (runtime.query)")
      ->capture_default_str();
  tl->add_option("--admin", f->query, "Deprecated: the admin port no longer serves queries")
      ->group("");  // hidden; kept so old scripts still parse
  tl->add_option("--token", f->token, "Bearer token with leads:read (default $BATON_QUERY_TOKEN)");
  tl->add_option("--ca-file", f->ca_file, "CA certificate of the query listener (https)");
  tl->add_flag("--topics", f->topics_only,
               "Skip the query listener: scan the topics from the beginning");
  tl->add_flag("--utc", f->utc, "Print times in UTC");
  tl->add_option("--timeout", f->timeout, "Seconds to scan topics at most")->capture_default_str();
  tl->callback([&g, &rc, f] { rc = run_timeline(g, *f); });
}

}  // namespace baton::cli
