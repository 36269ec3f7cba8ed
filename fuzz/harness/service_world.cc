#include "harness/service_world.h"

#include <cstdio>
#include <cstdlib>

#include "baton/runtime/config.h"
#include "baton/v1/roster.pb.h"
#include "harness/samples.h"

namespace baton::fuzz {

bool unframe(const uint8_t* data, size_t size, const std::vector<std::string>& topics,
             runtime::Record& out) {
  if (size < 2 || topics.empty()) return false;
  static const char* kKeys[] = {"", "L-1", "L-2", "dach"};
  out.topic = topics[data[0] % topics.size()];
  out.key = kKeys[data[1] & 3];
  if (data[1] & 4) out.headers.push_back({"ce_id", "fuzz-ce-1"});
  out.value.assign(reinterpret_cast<const char*>(data + 2), size - 2);
  out.offset = 1000000;
  out.timestamp_ms = runtime::to_millis(fuzz_now());
  return true;
}

runtime::ConfigNode example_section(const std::string& file, const std::string& section) {
  auto root = runtime::ConfigNode::load_file(std::string(BATON_SOURCE_DIR) + "/" + file);
  if (!root.errors().messages.empty()) {
    std::fprintf(stderr, "fuzz harness: %s does not load\n", file.c_str());
    std::abort();
  }
  return root.child(section);
}

std::shared_ptr<Globals> example_globals(const std::string& reps_topic,
                                         const std::string& accounts_topic) {
  auto g = std::make_shared<Globals>();
  const std::vector<std::pair<std::string, std::string>> reps = {
      {"rep-dach-1", "dach"},        {"rep-dach-2", "dach"},   {"rep-us-1", "us-enterprise"},
      {"rep-us-2", "us-enterprise"}, {"rep-gen-1", "general"}, {"rep-nurture-1", "nurture"}};
  for (const auto& [id, pool] : reps) {
    v1::Rep r;
    r.set_id(id);
    r.set_name(id);
    r.set_manager_id("rep-" + pool + "-mgr");
    r.add_pools(pool);
    r.set_time_zone(pool == "dach" ? "Europe/Berlin" : "UTC");
    auto* wh = r.mutable_working_hours();
    if (pool == "nurture") {  // an SDR's office day: Mon-Fri 09:00-17:00 UTC
      for (int d = 1; d <= 5; ++d) wh->add_days(d);
      wh->set_start_minute(9 * 60);
      wh->set_end_minute(17 * 60);
    } else {
      for (int d = 1; d <= 7; ++d) wh->add_days(d);
      wh->set_start_minute(0);
      wh->set_end_minute(24 * 60);
    }
    r.set_active(true);
    r.set_capacity(30);
    (*g)[reps_topic][id] = r.SerializeAsString();
  }
  v1::Account a;
  a.set_id("acct-northwind");
  a.set_name("Northwind Example GmbH");
  a.add_domains("northwind.example");
  a.set_owner_rep_id("rep-dach-2");
  (*g)[accounts_topic][a.id()] = a.SerializeAsString();
  return g;
}

int World::run(const uint8_t* data, size_t size) const {
  runtime::Record rec;
  if (!unframe(data, size, topics, rec)) return 0;
  Pump pump(globals);
  for (auto* p : processors) pump.add(p);
  pump.copy_state_from(*warm);
  pump.run(std::move(rec), fuzz_now(), max_steps);
  return 0;
}

}  // namespace baton::fuzz
