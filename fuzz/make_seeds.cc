// Writes the seed corpora: fuzz_make_seeds <dir> writes <dir>/<target>/<name>
// (valid messages on each input topic, example configs, CLI inputs). Run
// once; the output is committed under fuzz/corpus/.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "harness/pump.h"
#include "harness/samples.h"
#include "harness/targets.h"

namespace fs = std::filesystem;
using namespace baton;
using namespace baton::fuzz;

namespace {

void put(const fs::path& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << bytes;
}

std::string src(const std::string& rel) {
  return read_text(std::string(BATON_SOURCE_DIR) + "/" + rel);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_make_seeds <corpus dir>\n");
    return 2;
  }
  const fs::path out = argv[1];
  const auto now = fuzz_now();
  const auto ago = now - std::chrono::minutes(2);
  // router topics: captured, signals, reassign, routing, lifecycle, erasure,
  // identity, leads, pool_requests (flags 1: key "L-1", 5: + ce_id).
  const fs::path r = out / "router";
  put(r, "captured_l2", frame(0, 2, sample_lead("L-2", "e-s1", ago).SerializeAsString()));
  put(r, "signal_l1",
      frame(1, 1,
            sample_signal("L-1", "e-s2", v1::SIGNAL_PRICING_PAGE_VIEW, ago).SerializeAsString()));
  put(r, "reassign_l1",
      frame(2, 5, sample_reassign("L-1", "e-s3", "rep-dach-1", ago).SerializeAsString()));
  put(r, "assignment_l1",
      frame(3, 1, sample_assignment("L-1", "e-s4", "rep-dach-1", ago).SerializeAsString()));
  put(r, "won_l1",
      frame(4, 1, sample_transition("L-1", "e-s5", v1::STAGE_WON, ago).SerializeAsString()));
  put(r, "erase_l1", frame(5, 1, sample_erasure("L-1", "e-s6", ago).SerializeAsString()));
  put(r, "pool_request_l2",
      frame(8, 3, sample_pool_request("L-2", "e-s7", ago).SerializeAsString()));
  // sla-monitor topics: routing, activities, crm stage changes, erasure.
  const fs::path s = out / "sla_monitor";
  put(s, "assignment_l2",
      frame(0, 2, sample_assignment("L-2", "e-s1", "rep-us-1", ago).SerializeAsString()));
  put(s, "call_l1",
      frame(1, 1, sample_activity("L-1", "e-s2", v1::ACTIVITY_CALL, ago).SerializeAsString()));
  put(s, "callback_l1",
      frame(1, 1,
            sample_activity("L-1", "e-s3", v1::ACTIVITY_SCHEDULED_CALLBACK, ago)
                .SerializeAsString()));
  put(s, "recycle_l1",
      frame(2, 1, sample_stage("L-1", "e-s4", v1::STAGE_RECYCLED, ago).SerializeAsString()));
  put(s, "erase_l1", frame(3, 1, sample_erasure("L-1", "e-s5", ago).SerializeAsString()));
  // feedback topics: captured, routing, sla events, activities, stage changes, erasure.
  const fs::path f = out / "feedback";
  put(f, "captured_l2", frame(0, 2, sample_lead("L-2", "e-s1", ago).SerializeAsString()));
  put(f, "assignment_l1",
      frame(1, 1, sample_assignment("L-1", "e-s2", "rep-dach-2", ago).SerializeAsString()));
  put(f, "breach_l1", frame(2, 1, sample_breach("L-1", "e-s3", ago).SerializeAsString()));
  put(f, "connect_l1",
      frame(3, 1, sample_activity("L-1", "e-s4", v1::ACTIVITY_CONNECT, ago).SerializeAsString()));
  put(f, "contacted_l1",
      frame(4, 1, sample_stage("L-1", "e-s5", v1::STAGE_CONTACTED, ago).SerializeAsString()));
  put(f, "won_l1",
      frame(4, 1, sample_stage("L-1", "e-s6", v1::STAGE_WON, ago).SerializeAsString()));
  put(f, "lost_l1",
      frame(4, 1, sample_stage("L-1", "e-s7", v1::STAGE_LOST, ago).SerializeAsString()));
  put(f, "erase_l1", frame(5, 1, sample_erasure("L-1", "e-s8", ago).SerializeAsString()));
  // config: the example configs.
  const fs::path c = out / "config";
  put(c, "router.yaml", src("services/router/config/router.example.yaml"));
  put(c, "sla-monitor.yaml", src("services/sla-monitor/config/sla-monitor.example.yaml"));
  put(c, "feedback.yaml", src("services/feedback/config/feedback.example.yaml"));
  // cli_json: byte 0 = 0 lead JSON, 1 signal JSON, 2 reps YAML, 3 accounts
  // YAML, 4 time, 5 amount.
  const fs::path j = out / "cli_json";
  put(j, "lead.json", std::string(1, '\0') + src("tools/baton/samples/lead.json"));
  put(j, "signal.json",
      std::string(1, '\1') +
          R"({"envelope":{"leadId":"L-1","eventTime":"2024-03-26T11:00:00Z"},"type":"SIGNAL_DEMO_REQUEST","url":"https://example.com/demo"})");
  put(j, "reps.yaml", std::string(1, '\2') + src("tools/baton/samples/reps.yaml"));
  put(j, "accounts.yaml", std::string(1, '\3') + src("tools/baton/samples/accounts.yaml"));
  put(j, "time", std::string(1, '\4') + "2024-03-26T11:00:00+01:00");
  put(j, "amount", std::string(1, '\5') + "1200.50");
  return 0;
}
