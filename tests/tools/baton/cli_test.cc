// The `baton` CLI as a real process against the real broker.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct Run {
  int rc = -1;
  std::string out;
  std::string err;
};

std::string env_or(const char* name, const std::string& def) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : def;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string bootstrap() {
  std::string file = env_or("BATON_TEST_BOOTSTRAP_FILE", "");
  std::string text = file.empty() ? "" : read_all(file);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string prefix() {
  static const std::string p =
      "clitest-" + std::to_string(::getpid()) + "-" + std::to_string(std::time(nullptr)) + ".";
  return p;
}

// Runs `baton <args>` (bounded by `timeout` as a safety net) and captures its output.
Run baton(const std::string& args, const std::string& broker = bootstrap()) {
  std::string bin = env_or("BATON_BIN_DIR", BATON_BIN_DIR) + "/baton";
  std::string err_file = "/tmp/baton-cli-test-" + std::to_string(::getpid()) + ".err";
  std::string cmd = "timeout -k 5 90 " + bin + " --bootstrap '" + broker + "' --prefix '" +
                    prefix() + "' " + args + " 2>" + err_file;
  Run r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = ::pclose(p);
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = read_all(err_file);
  std::remove(err_file.c_str());
  return r;
}

std::string sample(const std::string& name) {
  return env_or("BATON_SOURCE_DIR", BATON_SOURCE_DIR) + "/tools/baton/samples/" + name;
}

int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

class Cli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_FALSE(bootstrap().empty()) << "BATON_TEST_BOOTSTRAP_FILE names no broker";
    auto r = baton("topics create --partitions 3");
    ASSERT_EQ(r.rc, 0) << r.err;
  }
};

TEST_F(Cli, TopicsCreateIsIdempotent) {
  auto again = baton("topics create --partitions 3");
  ASSERT_EQ(again.rc, 0) << again.err;
  EXPECT_NE(again.out.find("exists   " + prefix() + "baton.leads.captured (3 partitions)"),
            std::string::npos)
      << again.out;
  EXPECT_NE(again.out.find("0 created"), std::string::npos) << again.out;
  auto list = baton("topics list");
  ASSERT_EQ(list.rc, 0) << list.err;
  EXPECT_NE(list.out.find(prefix() + "baton-router-pool-requests"), std::string::npos);
  EXPECT_NE(list.out.find(prefix() + "baton.roster.reps  baton.v1.Rep"), std::string::npos);
}

TEST_F(Cli, SendLeadThenTailReadsItBack) {
  auto sent = baton("send-lead --file " + sample("lead.json") + " --lead-id L-roundtrip-1");
  ASSERT_EQ(sent.rc, 0) << sent.err;
  EXPECT_NE(sent.out.find("sent LeadCaptured L-roundtrip-1"), std::string::npos) << sent.out;

  auto json =
      baton("tail leads.captured --from-beginning --key L-roundtrip-1 --max 1 --timeout 60");
  ASSERT_EQ(json.rc, 0) << json.err;
  EXPECT_NE(json.out.find("\"type\":\"baton.v1.LeadCaptured\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"leadId\":\"L-roundtrip-1\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"campaign\":\"q4-demo\""), std::string::npos) << json.out;

  auto pretty = baton("tail leads.captured --from-beginning --pretty --until-end --timeout 60");
  ASSERT_EQ(pretty.rc, 0) << pretty.err;
  EXPECT_NE(pretty.out.find("CAPTURED L-roundtrip-1 source=google campaign=q4-demo"),
            std::string::npos)
      << pretty.out;
}

TEST_F(Cli, StageActivityAndTimelineFromTopics) {
  ASSERT_EQ(baton("send-lead --email x@acmerobotics.com --source g2 --lead-id L-tl-1").rc, 0);
  auto act = baton("activity --lead L-tl-1 --rep rep-dan --type call");
  ASSERT_EQ(act.rc, 0) << act.err;
  auto st = baton("stage --lead L-tl-1 --stage won --amount 1200.50 --currency EUR --rep rep-dan");
  ASSERT_EQ(st.rc, 0) << st.err;
  auto tail =
      baton("tail crm.stage-changes --from-beginning --pretty --key L-tl-1 --max 1 --timeout 60");
  ASSERT_EQ(tail.rc, 0) << tail.err;
  EXPECT_NE(tail.out.find("STAGE CHANGE L-tl-1 → won 1,200.50 EUR by rep-dan"), std::string::npos)
      << tail.out;
  // The feedback admin is not running: the timeline falls back to the topics.
  auto tl = baton("timeline L-tl-1 --query http://127.0.0.1:1 --timeout 60");
  ASSERT_EQ(tl.rc, 0) << tl.err;
  EXPECT_EQ(count_lines(tl.out), 3) << tl.out;
  EXPECT_NE(tl.out.find("CAPTURED L-tl-1"), std::string::npos) << tl.out;
  EXPECT_NE(tl.out.find("ACTIVITY L-tl-1 rep-dan call"), std::string::npos) << tl.out;
  EXPECT_NE(tl.err.find("reading the topics instead"), std::string::npos) << tl.err;
}

TEST_F(Cli, RosterAccountsAndGeneratedLeadsArrive) {
  ASSERT_EQ(baton("roster load " + sample("reps.yaml")).rc, 0);
  ASSERT_EQ(baton("accounts load " + sample("accounts.yaml")).rc, 0);
  auto reps = baton("tail roster.reps --from-beginning --until-end --pretty --timeout 60");
  ASSERT_EQ(reps.rc, 0) << reps.err;
  EXPECT_NE(reps.out.find("REP rep-bo pools=emea-enterprise tz=Europe/Berlin"), std::string::npos);
  auto gen =
      baton("generate --count 12 --rate 200 --seed 5 --time-scale 5000 --no-reps --no-roster");
  ASSERT_EQ(gen.rc, 0) << gen.err;
  EXPECT_NE(gen.err.find("leads 12/12"), std::string::npos) << gen.err;
  auto leads = baton("tail leads.captured --from-beginning --until-end --timeout 60");
  ASSERT_EQ(leads.rc, 0) << leads.err;
  EXPECT_GE(count_lines(leads.out), 12);
}

TEST_F(Cli, BadInputExitsTwoWithOneLine) {
  std::string bad = "/tmp/baton-cli-test-bad-" + std::to_string(::getpid()) + ".json";
  std::ofstream(bad) << "{\"source\": \"google\",\n \"campaign\": }\n";
  auto r = baton("send-lead --file " + bad);
  std::remove(bad.c_str());
  EXPECT_EQ(r.rc, 2);
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("not a valid LeadCaptured"), std::string::npos) << r.err;
  auto unknown = baton("tail no.such.topic --timeout 5");
  EXPECT_EQ(unknown.rc, 2);
  EXPECT_NE(unknown.err.find("unknown topic"), std::string::npos) << unknown.err;
  EXPECT_EQ(baton("stage --lead L1 --stage closed").rc, 2);
  EXPECT_EQ(baton("no-such-command").rc, 2);
}

TEST_F(Cli, UnreachableBrokerExitsThree) {
  auto create = baton("--kafka-timeout 3 topics create", "127.0.0.1:1");
  EXPECT_EQ(create.rc, 3) << create.err;
  EXPECT_EQ(count_lines(create.err), 1) << create.err;
  EXPECT_NE(create.err.find("no Kafka broker answered at 127.0.0.1:1"), std::string::npos);
  EXPECT_EQ(baton("--kafka-timeout 3 send-lead --email a@b.c", "127.0.0.1:1").rc, 3);
  EXPECT_EQ(baton("--kafka-timeout 3 tail all --timeout 5", "127.0.0.1:1").rc, 3);
}

}  // namespace
