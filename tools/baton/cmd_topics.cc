// baton topics create | list
#include <cstdio>

#include "commands.h"

namespace baton::cli {
namespace {

struct CreateOptions {
  int partitions = 6;
  int reference_partitions = 1;
  int replication = -1;
  int min_insync = -1;  // min.insync.replicas; -1: the broker's default
  int retention_days = 14;
  int dlq_retention_days = 7;  // dead letters can hold PII: short (docs/security.md)
};

std::vector<client::TopicSpec> topic_specs(const Globals& g, const CreateOptions& o) {
  std::vector<client::TopicSpec> specs;
  for (const auto& t : topic_catalog()) {
    client::TopicSpec s;
    s.name = topic_name(t.role, g.prefix);
    s.replication_factor = o.replication;
    if (o.min_insync > 0) s.config["min.insync.replicas"] = std::to_string(o.min_insync);
    if (t.compacted) {
      s.partitions = o.reference_partitions;
      s.config["cleanup.policy"] = "compact";
    } else {
      s.partitions = o.partitions;
      int days = t.role == TopicRole::kDlq ? o.dlq_retention_days : o.retention_days;
      s.config["retention.ms"] = std::to_string(static_cast<int64_t>(days) * 86400000);
    }
    specs.push_back(std::move(s));
  }
  return specs;
}

int run_create(const Globals& g, const CreateOptions& o) {
  auto admin = client::Admin::connect(client_config(g));
  if (!admin) return fail(admin.error());
  auto specs = topic_specs(g, o);
  auto results = (*admin)->create_topics(specs);
  if (!results) return fail(results.error());
  int created = 0;
  for (const auto& r : *results) {
    int wanted = 0;
    for (const auto& s : specs)
      if (s.name == r.name) wanted = s.partitions;
    created += r.created ? 1 : 0;
    std::printf("%-8s %s (%d partitions)%s\n", r.created ? "created" : "exists", r.name.c_str(),
                r.partitions > 0 ? r.partitions : wanted,
                !r.created && r.partitions > 0 && r.partitions != wanted
                    ? "  note: differs from the requested count; left as is"
                    : "");
  }
  std::printf("%d created, %zu already existed\n", created, results->size() - created);
  return kOk;
}

int run_list(const Globals& g) {
  auto admin = client::Admin::connect(client_config(g));
  if (!admin) return fail(admin.error());
  auto names = (*admin)->list_topics();
  if (!names) return fail(names.error());
  for (const auto& n : *names) {
    const auto* info = find_topic(n, g.prefix);
    std::printf("%s%s%s\n", n.c_str(), info ? "  " : "",
                info ? std::string(info->message_type).c_str() : "");
  }
  return kOk;
}

}  // namespace

void add_topics_commands(CLI::App& app, Globals& g, int& rc) {
  auto* topics = app.add_subcommand("topics", "Create or list Baton's topics");
  topics->require_subcommand(1);
  auto o = std::make_shared<CreateOptions>();
  auto* create = topics->add_subcommand(
      "create",
      "Create every public topic and baton-router-pool-requests (idempotent; services create "
      "their own changelog topics). Roster and accounts are compacted.");
  create->add_option("--partitions", o->partitions, "Partitions of lead topics")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  create
      ->add_option("--reference-partitions", o->reference_partitions,
                   "Partitions of the compacted roster and accounts topics")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  create->add_option("--replication", o->replication, "Replication factor (-1: broker default)")
      ->capture_default_str();
  create
      ->add_option(
          "--min-insync-replicas", o->min_insync,
          "min.insync.replicas of every topic (-1: broker default; 2 with --replication 3)")
      ->capture_default_str();
  create->add_option("--retention-days", o->retention_days, "Retention of lead topics")
      ->capture_default_str()
      ->check(CLI::Range(1, 3650));
  create->add_option("--dlq-retention-days", o->dlq_retention_days, "Retention of the DLQ")
      ->capture_default_str()
      ->check(CLI::Range(1, 3650));
  create->callback([&g, &rc, o] { rc = run_create(g, *o); });
  auto* list = topics->add_subcommand("list", "List the topics on the cluster");
  list->callback([&g, &rc] { rc = run_list(g); });
}

}  // namespace baton::cli
