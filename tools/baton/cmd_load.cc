// baton roster load FILE | accounts load FILE
#include <cstdio>

#include "baton/roster/roster_yaml.h"
#include "commands.h"

namespace baton::cli {
namespace {

template <typename T>
int publish(const Globals& g, TopicRole role, const std::vector<T>& items, bool dry_run) {
  if (dry_run) {
    for (const auto& i : items) std::printf("%s\n", to_json(i).c_str());
    std::printf("%zu valid, nothing sent (--dry-run)\n", items.size());
    return kOk;
  }
  auto producer = open_producer(g);
  if (!producer) return fail(producer.error());
  const std::string t = topic(g, role);
  const auto now = std::chrono::system_clock::now();
  for (const auto& i : items) {
    // The event id names the content, so loading the same file twice is a no-op downstream.
    std::string id = i.GetDescriptor()->name() + ":" + i.id() + ":" +
                     std::to_string(std::hash<std::string>{}(i.SerializeAsString()));
    if (auto s = send_event(**producer, t, i.id(), i, id, "baton-cli", now); !s)
      return fail(s.error());
  }
  if (auto s = (*producer)->flush(); !s) return fail(s.error());
  std::printf("loaded %zu %s into %s\n", items.size(),
              role == TopicRole::kRosterReps ? "reps" : "accounts", t.c_str());
  return kOk;
}

int run_roster(const Globals& g, const std::string& file, bool dry_run) {
  auto text = read_file(file);
  if (!text) return fail(text.error());
  std::vector<std::string> warnings;
  auto reps = roster::parse_reps_yaml(*text, file, &warnings);
  if (!reps) return fail(reps.error());
  for (const auto& w : warnings) std::fprintf(stderr, "baton: warning: %s\n", w.c_str());
  return publish(g, TopicRole::kRosterReps, *reps, dry_run);
}

int run_accounts(const Globals& g, const std::string& file, bool dry_run) {
  auto text = read_file(file);
  if (!text) return fail(text.error());
  auto accounts = roster::parse_accounts_yaml(*text, file);
  if (!accounts) return fail(accounts.error());
  return publish(g, TopicRole::kRosterAccounts, *accounts, dry_run);
}

struct LoadFlags {
  std::string file;
  bool dry_run = false;
};

}  // namespace

void add_load_commands(CLI::App& app, Globals& g, int& rc) {
  auto rf = std::make_shared<LoadFlags>();
  auto* roster = app.add_subcommand("roster", "Manage the rep roster (compacted, keyed by rep id)");
  roster->require_subcommand(1);
  auto* rl = roster->add_subcommand("load", "Validate reps.yaml and publish every rep");
  rl->add_option("file", rf->file, "reps.yaml")->required();
  rl->add_flag("--dry-run", rf->dry_run, "Validate and print, send nothing");
  rl->callback([&g, &rc, rf] { rc = run_roster(g, rf->file, rf->dry_run); });

  auto af = std::make_shared<LoadFlags>();
  auto* accounts =
      app.add_subcommand("accounts", "Manage accounts (compacted, keyed by account id)");
  accounts->require_subcommand(1);
  auto* al = accounts->add_subcommand("load", "Validate accounts.yaml and publish every account");
  al->add_option("file", af->file, "accounts.yaml")->required();
  al->add_flag("--dry-run", af->dry_run, "Validate and print, send nothing");
  al->callback([&g, &rc, af] { rc = run_accounts(g, af->file, af->dry_run); });
}

}  // namespace baton::cli
