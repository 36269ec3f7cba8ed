// `baton-router backtest --config new.yaml --current current.yaml
//   --input leads.jsonl --roster roster.yaml`: runs the pure core for both
// configs over recorded captures, produces nothing, prints the comparison.
#include <google/protobuf/util/json_util.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

#include "baton/roster/roster_yaml.h"
#include "baton/runtime/config.h"
#include "router_config.h"
#include "service.h"
#include "simulator.h"

namespace baton::router {
namespace {

std::optional<RoutingConfig> load_config(const std::string& path) {
  auto root = runtime::ConfigNode::load_file(path);
  auto section = root.has("router") ? root.child("router") : root;
  RouterSettings s = read_router_config(section, time::system_zones());
  if (auto st = root.status(); !st) {
    std::cerr << "invalid config " << path << ":\n" << st.error().message << "\n";
    return std::nullopt;
  }
  return s.routing;
}

// The roster file holds `reps:` and, optionally, `accounts:` (the CLI's two
// sample files concatenated), read by the one roster parser.
bool load_roster(const std::string& path, Roster& roster, std::vector<v1::Account>& accounts) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    std::cerr << "backtest: cannot read " << path << "\n";
    return false;
  }
  std::vector<std::string> warnings;
  auto reps = roster::parse_reps_yaml(text.str(), path, &warnings);
  for (const auto& w : warnings) std::cerr << "backtest: warning: " << w << "\n";
  if (!reps) {
    std::cerr << "invalid roster " << reps.error().message << "\n";
    return false;
  }
  for (auto& rep : *reps) roster.reps[rep.id()] = std::move(rep);
  if (text.str().find("accounts:") == std::string::npos) return true;
  auto accs = roster::parse_accounts_yaml(text.str(), path);
  if (!accs) {
    std::cerr << "invalid roster " << accs.error().message << "\n";
    return false;
  }
  accounts = std::move(*accs);
  return true;
}

struct Tally {
  std::map<std::string, int> pools, reps;
};

Tally tally(const std::map<std::string, LeadOutcome>& o) {
  Tally t;
  for (const auto& [id, x] : o) {
    if (x.status == "assigned") {
      t.pools[x.pool]++;
      t.reps[x.pool + " / " + x.owner]++;
    } else {
      t.pools["(" + x.status + ")"]++;
    }
  }
  return t;
}

void side_by_side(const std::string& title, const std::map<std::string, int>& cur,
                  const std::map<std::string, int>& neu) {
  std::set<std::string> keys;
  for (const auto& [k, v] : cur) keys.insert(k);
  for (const auto& [k, v] : neu) keys.insert(k);
  std::cout << "\n"
            << std::left << std::setw(40) << title << std::right << std::setw(10) << "current"
            << std::setw(10) << "new" << std::setw(10) << "delta"
            << "\n";
  for (const auto& k : keys) {
    int c = cur.count(k) ? cur.at(k) : 0, n = neu.count(k) ? neu.at(k) : 0;
    std::cout << std::left << std::setw(40) << k << std::right << std::setw(10) << c
              << std::setw(10) << n << std::setw(10) << std::showpos << n - c << std::noshowpos
              << "\n";
  }
}

}  // namespace

int backtest_main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) != "backtest") return -1;
  std::map<std::string, std::string> args;
  CLI::App app{"Replays captured leads through the current and a new routing config",
               "baton-router backtest"};
  app.footer("LEADS.jsonl: one baton.v1.LeadCaptured per line (protobuf JSON).");
  app.add_option("--config", args["config"], "NEW.yaml: the routing config to try")->required();
  app.add_option("--current", args["current"], "CURRENT.yaml (default: --config)");
  app.add_option("--input", args["input"], "LEADS.jsonl")->required();
  app.add_option("--roster", args["roster"], "ROSTER.yaml")->required();
  try {
    app.parse(argc - 1, argv + 1);  // argv[1] is "backtest"
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << "backtest: " << e.what() << " (see backtest --help)\n";
    return 2;
  }
  if (args["current"].empty()) args["current"] = args["config"];
  auto neu = load_config(args["config"]);
  auto cur = load_config(args["current"]);
  Roster roster;
  std::vector<v1::Account> accounts;
  if (!neu || !cur || !load_roster(args["roster"], roster, accounts)) return 2;

  std::ifstream in(args["input"]);
  if (!in) {
    std::cerr << "backtest: cannot read " << args["input"] << "\n";
    return 2;
  }
  Simulator sim_cur(*cur, roster, accounts, time::system_zones());
  Simulator sim_new(*neu, roster, accounts, time::system_zones());
  std::string line;
  int n = 0, bad = 0;
  TimePoint last{};
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    v1::LeadCaptured lead;
    if (!google::protobuf::util::JsonStringToMessage(line, &lead).ok()) {
      ++bad;
      continue;
    }
    ++n;
    TimePoint now = lead.envelope().has_event_time()
                        ? time::from_millis(time::timestamp_millis(lead.envelope().event_time()))
                        : last;  // no event time: as of the previous capture
    last = std::max(last, now);
    sim_cur.capture(lead, now);
    sim_new.capture(lead, now);
  }
  std::cout << "backtest: " << n << " leads (" << bad << " unreadable lines skipped)\n";
  Tally tc = tally(sim_cur.outcomes()), tn = tally(sim_new.outcomes());
  side_by_side("pool", tc.pools, tn.pools);
  side_by_side("pool / rep", tc.reps, tn.reps);

  std::cout << "\nleads whose owner or tier changes:\n";
  int changes = 0;
  for (const auto& [id, c] : sim_cur.outcomes()) {
    auto it = sim_new.outcomes().find(id);
    LeadOutcome x = it == sim_new.outcomes().end() ? LeadOutcome{} : it->second;
    if (x.owner == c.owner && x.tier == c.tier && x.status == c.status) continue;
    ++changes;
    std::cout << "  " << id << ": tier " << (c.tier.empty() ? "-" : c.tier) << " -> "
              << (x.tier.empty() ? "-" : x.tier) << ", owner "
              << (c.owner.empty() ? "(" + c.status + ")" : c.owner) << " -> "
              << (x.owner.empty() ? "(" + x.status + ")" : x.owner) << "\n";
  }
  if (changes == 0) std::cout << "  (none)\n";
  std::cout << "\nunassignable leads (held, nobody eligible) with the new config:\n";
  int held = 0;
  for (const auto& [id, x] : sim_new.outcomes())
    if (x.status == "held") {
      ++held;
      std::cout << "  " << id << " (pool " << x.pool << ", tier " << x.tier << ")\n";
    }
  if (held == 0) std::cout << "  (none)\n";
  return 0;
}

}  // namespace baton::router
