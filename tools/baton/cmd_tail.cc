// baton tail <topic|all>
#include <cstdio>

#include "commands.h"
#include "pretty.h"

namespace baton::cli {
namespace {

struct TailFlags {
  std::string topic;
  bool from_beginning = false;
  bool pretty = false;
  bool utc = false;
  bool until_end = false;
  std::string key;
  int64_t max = 0;
  double timeout = 0;
};

// Resolves "all", a full name or a short alias to topic names that exist.
Result<std::vector<std::string>> resolve(const Globals& g, client::Admin& admin,
                                         const std::string& name) {
  auto existing = admin.list_topics();
  if (!existing) return existing.error();
  auto exists = [&](const std::string& t) {
    for (const auto& e : *existing)
      if (e == t) return true;
    return false;
  };
  std::vector<std::string> out;
  if (name == "all") {
    for (const auto& t : topic_catalog())
      if (exists(topic_name(t.role, g.prefix))) out.push_back(topic_name(t.role, g.prefix));
    if (out.empty())
      return Error{"kafka.unknown_topic", "no Baton topic exists (run `baton topics create`)"};
    return out;
  }
  if (const auto* info = find_topic(name, g.prefix)) {
    out.push_back(topic_name(info->role, g.prefix));
  } else if (exists(name)) {
    out.push_back(name);
  } else {
    std::string known;
    for (const auto& t : topic_catalog())
      known += (known.empty() ? "" : ", ") + std::string(t.name);
    return Error{"kafka.unknown_topic", "unknown topic '" + name + "' (known: all, " + known + ")"};
  }
  if (!exists(out.front()))
    return Error{"kafka.unknown_topic",
                 "topic " + out.front() + " does not exist (run `baton topics create`)"};
  return out;
}

int run_tail(const Globals& g, const TailFlags& f) {
  install_stop_handler();
  auto config = client_config(g);
  auto admin = client::Admin::connect(config);
  if (!admin) return fail(admin.error());
  auto topics = resolve(g, **admin, f.topic);
  if (!topics) return fail(topics.error());
  client::TailOptions options;
  options.topics = *topics;
  options.start = f.from_beginning ? client::StartAt::kBeginning : client::StartAt::kEnd;
  auto consumer = client::TailConsumer::open(config, options);
  if (!consumer) return fail(consumer.error());
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(f.timeout * 1000));
  int64_t printed = 0;
  while (!g_stop.load()) {
    if (f.timeout > 0 && std::chrono::steady_clock::now() >= deadline) break;
    auto rec = (*consumer)->poll(std::chrono::milliseconds(200));
    if (!rec) return fail(rec.error());
    if (!*rec) {
      if (f.until_end && (*consumer)->at_end()) break;
      continue;
    }
    const auto& r = **rec;
    if (!f.key.empty() && r.key != f.key) continue;
    auto msg = decode_record(r, find_topic(r.topic, g.prefix));
    std::string line = f.pretty ? pretty_line(r, msg.get(), f.utc) : json_line(r, msg.get());
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
    if (f.max > 0 && ++printed >= f.max) break;
  }
  return kOk;
}

}  // namespace

void add_tail_command(CLI::App& app, Globals& g, int& rc) {
  auto f = std::make_shared<TailFlags>();
  auto* tail = app.add_subcommand(
      "tail", "Print records of a topic (or all) as JSON lines or readable lines (read_committed)");
  tail->add_option("topic", f->topic, "Topic name, short alias (leads.captured, outcomes) or 'all'")
      ->required();
  tail->add_flag("--from-beginning", f->from_beginning,
                 "Start at the oldest record (default: now)");
  tail->add_flag("--pretty", f->pretty, "One readable line per event");
  tail->add_flag("--utc", f->utc, "Print times in UTC (default: local time)");
  tail->add_flag("--until-end", f->until_end, "Exit once every partition is read to its end");
  tail->add_option("--key", f->key, "Only records with this key (lead id)");
  tail->add_option("--max", f->max, "Exit after N records")->check(CLI::NonNegativeNumber);
  tail->add_option("--timeout", f->timeout, "Exit after S seconds (0: run until Ctrl-C)")
      ->check(CLI::NonNegativeNumber);
  tail->callback([&g, &rc, f] { rc = run_tail(g, *f); });
}

}  // namespace baton::cli
