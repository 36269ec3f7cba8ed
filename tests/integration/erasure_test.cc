// Erasure end to end: an ErasureRequest on baton.privacy.erasure removes a
// lead from all three services. Afterwards its timeline, routing decision
// and SLA clock answer 404; no RocksDB folder holds the person's email (read
// logically, then byte for byte after a forced compaction); the latest value
// of every changelog key that ever held the email is a tombstone; the
// router's identity entry for the person is gone; and a late event does not
// bring the lead back into feedback. Another lead stays untouched.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>

#include "baton/runtime/client.h"
#include "baton/runtime/events.h"
#include "baton/v1/activity.pb.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/lifecycle.pb.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/router_state.pb.h"
#include "baton/v1/routing.pb.h"
#include "builders.h"
#include "system.h"

namespace baton::test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace client = runtime::client;

v1::Envelope envelope(const std::string& event_id, const std::string& lead) {
  v1::Envelope e;
  e.set_event_id(event_id);
  e.set_lead_id(lead);
  *e.mutable_event_time() = runtime::to_timestamp(runtime::Clock::now());
  e.set_source_system("baton-tests");
  return e;
}

v1::LeadCaptured capture(const std::string& lead, const std::string& event_id,
                         const std::string& email) {
  v1::LeadCaptured l;
  *l.mutable_envelope() = envelope(event_id, lead);
  l.mutable_person()->set_email(email);
  l.mutable_person()->set_first_name("Erin");
  l.mutable_person()->set_seniority("vp");
  l.mutable_company()->set_industry("software");
  l.mutable_company()->set_employee_band("201-1000");
  l.mutable_company()->set_country("de");
  l.set_source("google");
  l.set_campaign("q4-demo");
  l.set_trigger_signal("demo_request");
  l.mutable_first_touch()->set_landing_page("/pricing");
  return l;
}

v1::SalesActivity call(const std::string& lead, const std::string& event_id,
                       const std::string& rep) {
  v1::SalesActivity a;
  *a.mutable_envelope() = envelope(event_id, lead);
  a.set_rep_id(rep);
  a.set_type(v1::ACTIVITY_CALL);
  return a;
}

bool contains(std::string_view hay, const std::string& needle) {
  return hay.find(needle) != std::string_view::npos;
}

// One changelog topic read from the beginning (read_committed): the latest
// value of each key, and the keys that ever held `needle`.
class Changelog {
 public:
  Changelog(const std::string& topic, std::string needle) : needle_(std::move(needle)) {
    client::ClientConfig cc;
    cc.bootstrap = bootstrap();
    client::TailOptions o;
    o.topics = {topic};
    auto c = client::TailConsumer::open(cc, o);
    if (!c) throw std::runtime_error(c.error().message);
    consumer_ = std::move(c.value());
  }
  void drain() {
    auto end = std::chrono::steady_clock::now() + 2s;
    while (std::chrono::steady_clock::now() < end) {
      auto r = consumer_->poll(50ms);
      if (!r) throw std::runtime_error(r.error().message);
      if (!r->has_value()) {
        if (consumer_->at_end()) return;
        continue;
      }
      if (contains((*r)->value, needle_)) held_.insert((*r)->key);
      latest_[(*r)->key] = (*r)->value;
    }
  }
  // Keys that held the needle and whose latest value is not a tombstone.
  std::vector<std::string> still_holding() const {
    std::vector<std::string> out;
    for (const auto& k : held_)
      if (!latest_.at(k).empty()) out.push_back(k);
    return out;
  }
  const std::set<std::string>& held() const { return held_; }
  std::optional<std::string> latest(const std::string& key) const {
    auto it = latest_.find(key);
    if (it == latest_.end()) return std::nullopt;
    return it->second;
  }
  // Latest identity records (router) by the lead they name.
  std::set<std::string> identity_leads() const {
    std::set<std::string> out;
    for (const auto& [k, v] : latest_) {
      v1::IdentityRecord rec;
      if (k.rfind("person/", 0) == 0 && !v.empty() && rec.ParseFromString(v))
        out.insert(rec.canonical_lead_id());
    }
    return out;
  }

 private:
  std::string needle_;
  std::unique_ptr<client::TailConsumer> consumer_;
  std::map<std::string, std::string> latest_;
  std::set<std::string> held_;
};

// Every RocksDB folder (one per task) under `root`.
std::vector<fs::path> rocksdb_folders(const fs::path& root) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().filename() == "CURRENT")
      out.push_back(e.path().parent_path());
  return out;
}

// Files under `root` whose bytes contain `needle`.
std::vector<std::string> files_holding(const fs::path& root, const std::string& needle) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (contains(bytes, needle)) out.push_back(e.path().string());
  }
  return out;
}

class Erasure : public ::testing::Test {
 protected:
  System sys{"erasure"};
  const std::string tag = std::to_string(getpid()) + "x" + std::to_string(std::random_device{}());
  const std::string erased_email = "erin.erase." + tag + "@acme-industries.example";
  const std::string kept_email = "kim.keep." + tag + "@acme-industries.example";

  void SetUp() override {
    sys.create_topics();
    for (const auto& [id, pool] : std::vector<std::pair<std::string, std::string>>{
             {"rep-dach-1", "dach"}, {"rep-dach-2", "dach"}, {"rep-gen-1", "general"}})
      sys.send("baton.roster.reps", id, always_on_rep(id, pool));
    sys.start("router", "r0");
    sys.start("sla-monitor", "s0");
    sys.start("feedback", "f0");
    ASSERT_TRUE(sys.all_ready(180s)) << "logs in " << sys.dir();
  }

  std::string changelog(const std::string& service, const std::string& processor) const {
    std::string suffix = sys.prefix().substr(0, sys.prefix().size() - 1);
    return "baton-" + service + "-" + suffix + "-" + processor + "-changelog";
  }
  int status(const std::string& service, const std::string& path) {
    auto r = http_get(sys.port(service, service.substr(0, 1) + "0"), path);
    return r ? r->status : 0;
  }
  std::optional<v1::Assignment> assignment_of(const std::string& lead) {
    for (const auto& r : sys.read("baton.routing.events", 100ms)) {
      v1::RoutingEvent ev;
      if (r.key == lead && ev.ParseFromString(r.value) && ev.has_assignment())
        return ev.assignment();
    }
    return std::nullopt;
  }
  double records_in(const std::string& topic) {
    return metric(sys.port("feedback", "f0"), "baton_records_in_total", "topic=\"" + topic + "\"")
        .value_or(0);
  }
};

TEST_F(Erasure, RemovesTheLeadFromEveryServiceStoreAndChangelog) {
  sys.send("baton.leads.captured", "E1", capture("E1", "cap-E1", erased_email), "cap-E1");
  sys.send("baton.leads.captured", "K1", capture("K1", "cap-K1", kept_email), "cap-K1");
  // P1 has only an early touch: the sla-monitor holds it as a pending activity.
  sys.send("baton.sales.activities", "P1", call("P1", "call-P1", "rep-dach-1"), "call-P1");

  std::string owner;
  ASSERT_TRUE(wait_until(
      [&] {
        auto a = assignment_of("E1");
        if (a) owner = a->owner_rep_id();
        return a && assignment_of("K1");
      },
      90s))
      << "leads not routed; logs in " << sys.dir();
  sys.send("baton.sales.activities", "E1", call("E1", "call-E1", owner), "call-E1");
  // Every service holds the leads (and the router has read its decisions back).
  ASSERT_TRUE(wait_until(
      [&] {
        for (const std::string lead : {"E1", "K1"})
          if (status("feedback", "/leads/" + lead + "/timeline") != 200 ||
              status("router", "/leads/" + lead + "/routing") != 200 ||
              status("sla-monitor", "/leads/" + lead + "/sla") != 200)
            return false;
        return status("sla-monitor", "/leads/P1/sla") == 200;
      },
      90s))
      << "state not built; logs in " << sys.dir();
  Changelog router_leads(changelog("router", "router-leads"), erased_email);
  // The person records live at the identity desk (PoolDesk's store).
  Changelog router_pools(changelog("router", "router-pools"), erased_email);
  ASSERT_TRUE(wait_until(
      [&] {
        router_leads.drain();
        router_pools.drain();
        return router_leads.held().count("lead/E1") && router_pools.identity_leads().count("E1");
      },
      60s))
      << "the router's changelog never held the lead (the test would prove nothing)";

  for (const std::string lead : {"E1", "P1"}) {
    v1::ErasureRequest req;
    *req.mutable_envelope() = envelope("erase-" + lead, lead);
    req.set_requested_by("privacy-desk");
    req.set_legal_basis("gdpr-art-17");
    sys.send("baton.privacy.erasure", lead, req, "erase-" + lead);
  }
  ASSERT_TRUE(wait_until(
      [&] {
        return status("feedback", "/leads/E1/timeline") == 404 &&
               status("router", "/leads/E1/routing") == 404 &&
               status("sla-monitor", "/leads/E1/sla") == 404 &&
               status("sla-monitor", "/leads/P1/sla") == 404;
      },
      90s))
      << "lead still answered after erasure; logs in " << sys.dir();
  EXPECT_EQ(status("feedback", "/leads/K1/timeline"), 200);
  EXPECT_EQ(status("router", "/leads/K1/routing"), 200);
  EXPECT_EQ(status("sla-monitor", "/leads/K1/sla"), 200);

  // Changelogs: every key that ever held the email is tombstoned; the
  // identity entry (keyed by the identity hash) is gone too.
  std::vector<std::unique_ptr<Changelog>> logs;
  logs.push_back(
      std::make_unique<Changelog>(changelog("sla-monitor", "sla-monitor"), erased_email));
  logs.push_back(std::make_unique<Changelog>(changelog("feedback", "feedback"), erased_email));
  std::vector<std::string> left;
  ASSERT_TRUE(wait_until(
      [&] {
        left.clear();
        router_leads.drain();
        router_pools.drain();
        for (auto& l : logs) l->drain();
        for (const auto& k : router_leads.still_holding()) left.push_back("router-leads " + k);
        for (const auto& k : router_pools.still_holding()) left.push_back("router-pools " + k);
        for (auto& l : logs)
          for (const auto& k : l->still_holding()) left.push_back(k);
        if (router_pools.identity_leads().count("E1")) left.emplace_back("router person/<E1>");
        return left.empty();
      },
      60s))
      << ::testing::PrintToString(left);
  EXPECT_TRUE(router_pools.identity_leads().count("K1")) << "the other person keeps theirs";
  EXPECT_EQ(router_leads.latest("routing/E1"), std::optional<std::string>(""));
  EXPECT_EQ(logs[0]->latest("lead/E1"), std::optional<std::string>(""));
  EXPECT_EQ(logs[0]->latest("lead/P1"), std::optional<std::string>(""));
  EXPECT_EQ(logs[1]->latest("lead/E1"), std::optional<std::string>(""));
  EXPECT_FALSE(logs[1]->latest("erased/E1").value_or("").empty()) << "marker kept";

  // RocksDB: stop everything, read every task's store, then force a full
  // compaction (deletes are logical until then) and read the raw bytes.
  // (Stopped is what matters here; graceful shutdown has its own tests.)
  for (const std::string svc : {"router", "sla-monitor", "feedback"})
    ASSERT_TRUE(sys.stop(svc, svc.substr(0, 1) + "0", SIGTERM).has_value()) << svc;
  const fs::path state = fs::path(sys.dir()) / "state";
  const auto folders = rocksdb_folders(state);
  ASSERT_GE(folders.size(), 3u) << state;
  for (const auto& dir : folders) {
    rocksdb::Options opts;
    opts.compression = rocksdb::kNoCompression;  // the byte scan sees what is there
    opts.bottommost_compression = rocksdb::kNoCompression;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(opts, dir.string(), &raw).ok()) << dir;
    std::unique_ptr<rocksdb::DB> db(raw);
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const std::string key = it->key().ToString(), value = it->value().ToString();
      EXPECT_FALSE(contains(key + value, erased_email)) << dir << " " << key;
      EXPECT_FALSE(key == "lead/E1" || key == "routing/E1" || key == "lead/P1") << dir;
      v1::IdentityRecord rec;
      if (key.rfind("person/", 0) == 0 && rec.ParseFromString(value)) {
        EXPECT_NE(rec.canonical_lead_id(), "E1") << dir;
      }
    }
    it.reset();
    ASSERT_TRUE(db->Flush(rocksdb::FlushOptions()).ok());
    rocksdb::CompactRangeOptions co;
    co.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    ASSERT_TRUE(db->CompactRange(co, nullptr, nullptr).ok()) << dir;
    ASSERT_TRUE(db->Close().ok());
  }
  EXPECT_EQ(files_holding(state, erased_email), std::vector<std::string>{});
  EXPECT_FALSE(files_holding(state, kept_email).empty()) << "the byte scan finds what is there";

  // A late event must not bring the lead back into feedback.
  sys.start("feedback", "f0");
  ASSERT_TRUE(sys.all_ready(180s)) << "logs in " << sys.dir();
  const double captured0 = records_in("baton.leads.captured"),
               routing0 = records_in("baton.routing.events"),
               touches0 = records_in("baton.sales.activities");
  sys.send("baton.leads.captured", "E1", capture("E1", "cap-E1-late", erased_email), "cap-E1-late");
  auto late = assignment_of("E1");
  ASSERT_TRUE(late);
  late->mutable_envelope()->set_event_id("assign-E1-late");
  v1::RoutingEvent ev;
  *ev.mutable_assignment() = *late;
  sys.send("baton.routing.events", "E1", ev, "assign-E1-late");
  sys.send("baton.sales.activities", "E1", call("E1", "call-E1-late", owner), "call-E1-late");
  ASSERT_TRUE(wait_until(
      [&] {
        return records_in("baton.leads.captured") > captured0 &&
               records_in("baton.routing.events") > routing0 &&
               records_in("baton.sales.activities") > touches0;
      },
      90s))
      << "late events not consumed; logs in " << sys.dir();
  // Consumed after them, so committed with or after them: once its refusal
  // is visible, so is whatever the late events did.
  v1::StageChange change;
  *change.mutable_envelope() = envelope("stage-E1-late", "E1");
  change.set_stage(v1::STAGE_QUALIFIED);
  sys.send("baton.lifecycle.stage-changes", "E1", change, "stage-E1-late");
  ASSERT_TRUE(wait_until(
      [&] {
        for (const auto& r : sys.read("baton.lifecycle.events", 100ms)) {
          v1::LifecycleEvent e;
          if (r.key == "E1" && e.ParseFromString(r.value) && e.has_rejected() &&
              e.rejected().rule() == "erased")
            return true;
        }
        return false;
      },
      90s))
      << "late stage change not refused; logs in " << sys.dir();
  auto r = http_get(sys.port("feedback", "f0"), "/leads/E1/timeline");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_TRUE(contains(r->body, "erased")) << r->body;
  logs[1]->drain();
  EXPECT_EQ(logs[1]->latest("lead/E1"), std::optional<std::string>(""));
  EXPECT_TRUE(logs[1]->still_holding().empty());
}

}  // namespace
}  // namespace baton::test
