// The reference processor of the runtime's exactly-once tests: per-key
// running totals, and a timer per key every 10th event. Inputs are
// "<seq>:<amount>" text; an undecodable value or a negative amount is
// rejected (dead letter).
//
// State schema: version 1 stores "count:sum". Built with REFPROC_STATE_V2
// (baton-refproc-v2, the rolling-upgrade test's new build) it is version 2,
// "count:sum:mean_milli", and migrates version-1 records when it reads
// them; version 1 reads version-2 records as "count:sum" (the extra field
// is ignored), which is what keeps a mixed-version rollout correct.
#include <prometheus/registry.h>

#include <charconv>
#include <string>

#include "baton/runtime/app.h"
#include "baton/runtime/events.h"

namespace {

using namespace baton::runtime;

struct Totals {
  int64_t count = 0;
  int64_t sum = 0;
};

#ifdef REFPROC_STATE_V2
constexpr uint32_t kStateVersion = 2;
#else
constexpr uint32_t kStateVersion = 1;
#endif

std::string format_totals(int64_t count, int64_t sum) {
  std::string out = std::to_string(count) + ":" + std::to_string(sum);
  if (kStateVersion >= 2) out += ":" + std::to_string(count ? sum * 1000 / count : 0);
  return out;
}

Totals parse_totals(const std::optional<std::string>& v) {
  Totals t;
  if (!v) return t;
  auto colon = v->find(':');
  std::from_chars(v->data(), v->data() + colon, t.count);
  std::from_chars(v->data() + colon + 1, v->data() + v->size(), t.sum);
  return t;
}

class RefProcessor : public Processor {
 public:
  RefProcessor(std::string in, std::string out, std::string timers)
      : in_(std::move(in)), out_(std::move(out)), timers_(std::move(timers)) {}
  std::string name() const override { return "totals"; }
  std::vector<std::string> input_topics() const override { return {in_}; }
  uint32_t state_version() const override { return kStateVersion; }
  std::string migrate(std::string_view key, std::string value, uint32_t) const override {
    if (key.rfind("total/", 0) != 0) return value;
    auto t = parse_totals(value);
    return format_totals(t.count, t.sum);
  }

  ProcessResult on_record(const Record& r, const StateView& state, TimePoint now) override {
    auto colon = r.value.find(':');
    int64_t seq = 0, amount = 0;
    if (colon == std::string::npos ||
        std::from_chars(r.value.data(), r.value.data() + colon, seq).ec != std::errc() ||
        std::from_chars(r.value.data() + colon + 1, r.value.data() + r.value.size(), amount).ec !=
            std::errc())
      return Rejection{"decode", "expected <seq>:<amount>"};
    if (amount < 0) return Rejection{"invalid", "negative amount"};
    Effects fx;
    fx.dedup_id = std::to_string(seq);
    auto t = parse_totals(state.get("total/" + r.key));
    t.count += 1;
    t.sum += amount;
    fx.put("total/" + r.key, format_totals(t.count, t.sum));
    Output o;
    o.topic = out_;
    o.key = r.key;
    o.value = std::to_string(seq) + ":" + std::to_string(t.count) + ":" + std::to_string(t.sum);
    o.event_id = derive_event_id(fx.dedup_id, "out");
    o.ce_type = "baton.test.Total";
    fx.emit(std::move(o));
    if (t.count % 10 == 0) {
      auto id = "tick/" + r.key + "/" + std::to_string(t.count);
      fx.set_timer(id, now + std::chrono::milliseconds(300), r.key + ":" + std::to_string(t.count));
    }
    return fx;
  }

  ProcessResult on_timer(const Timer& timer, const StateView&, TimePoint) override {
    Effects fx;
    Output o;
    o.topic = timers_;
    o.key = timer.payload.substr(0, timer.payload.find(':'));
    o.value = timer.payload;
    o.event_id = derive_event_id(timer.id, "timer");
    o.ce_type = "baton.test.Tick";
    fx.emit(std::move(o));
    return fx;
  }

 private:
  std::string in_, out_, timers_;
};

}  // namespace

int main(int argc, char** argv) {
  ServiceSpec spec;
  spec.name = "refproc";
  spec.make = [](ConfigNode& section, prometheus::Registry&) {
    std::vector<std::unique_ptr<Processor>> out;
    auto in = section.required_str("input_topic");
    auto o = section.required_str("output_topic");
    auto t = section.required_str("timer_topic");
    if (in && o && t) out.push_back(std::make_unique<RefProcessor>(*in, *o, *t));
    return out;
  };
  spec.routes = [](QueryRouter& q) {
    auto lookup = q.lookup;
    // A lead's contact card (fixed; no state): what the query listener masks
    // for callers without pii:read.
    q.get(R"(/contacts/([^/]+))", QueryScope::kLead, [](const QueryRequest& r) {
      return QueryResponse{200, R"({"lead_id":")" + r.params.at(0) +
                                    R"(","person":{"email":"jane.doe@example.com",)"
                                    R"("first_name":"Jane","last_name":"Doe",)"
                                    R"("phone":"+49 170 1234567"},"owner":"rep-1"})"};
    });
    q.get(R"(/report)", QueryScope::kReport, [](const QueryRequest&) {
      return QueryResponse{200, R"({"leads":1})"};
    });
    q.get(R"(/totals/([^/]+))", QueryScope::kLead, [lookup](const QueryRequest& r) {
      auto v = lookup("totals", "total/" + r.params.at(0));
      if (!v) return QueryResponse{404, "{}"};
      auto t = parse_totals(v);
      std::string body =
          "{\"count\":" + std::to_string(t.count) + ",\"sum\":" + std::to_string(t.sum);
      if (kStateVersion >= 2) {
        auto c = v->find(':', v->find(':') + 1);
        body += ",\"mean_milli\":" + (c == std::string::npos ? "null" : v->substr(c + 1)) +
                ",\"schema\":" + std::to_string(kStateVersion);
      }
      return QueryResponse{200, body + "}"};
    });
  };
  return run_service(spec, argc, argv);
}
