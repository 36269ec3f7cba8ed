// baton notify webhook: posts the alerts on baton.notifications to a
// Slack-compatible webhook (notify/webhook_sink.h), once per alert id.
//
// A consumer group (read_committed, offsets committed by hand) reads the
// topic. For each record the sink delivers or dead-letters it and durably
// marks its alert id; only then is the offset committed. A restart resumes
// from the committed offset and skips ids already marked.
#include <librdkafka/rdkafkacpp.h>

#include <cstdio>
#include <random>

#include "baton/runtime/log.h"
#include "commands.h"
#include "notify/webhook_sink.h"

namespace baton::cli {
namespace {

struct NotifyFlags {
  std::string url;
  std::string state_dir = "./baton-notify-state";
  std::string group = "baton-notify-webhook";
  int max_attempts = 8;
  double backoff_seconds = 0.5;
  double max_backoff_seconds = 30;
  double request_timeout_seconds = 10;
  int64_t max = 0;       // stop after this many records (0: run until stopped)
  double idle_exit = 0;  // stop after this many idle seconds (0: never)
};

std::unique_ptr<RdKafka::KafkaConsumer> open_consumer(const Globals& g, const NotifyFlags& f,
                                                      std::string& err) {
  auto config = client_config(g);
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::map<std::string, std::string> props = config.properties;
  props["bootstrap.servers"] = config.bootstrap;
  props["group.id"] = f.group;
  props["enable.auto.commit"] = "false";
  props["enable.auto.offset.store"] = "false";
  props["isolation.level"] = "read_committed";
  props["auto.offset.reset"] = "earliest";
  for (const auto& [k, v] : props)
    if (conf->set(k, v, err) != RdKafka::Conf::CONF_OK) return nullptr;
  return std::unique_ptr<RdKafka::KafkaConsumer>(RdKafka::KafkaConsumer::create(conf.get(), err));
}

runtime::Record to_record(RdKafka::Message& m) {
  runtime::Record r;
  r.topic = m.topic_name();
  r.partition = m.partition();
  r.offset = m.offset();
  if (m.key()) r.key = *m.key();
  r.value.assign(static_cast<const char*>(m.payload()), m.len());
  if (const auto* hs = m.headers())
    for (const auto& h : hs->get_all())
      r.headers.push_back(
          {h.key(), h.value() ? std::string(static_cast<const char*>(h.value()), h.value_size())
                              : std::string()});
  return r;
}

int run_webhook(const Globals& g, const NotifyFlags& f) {
  runtime::log::set_service("baton-notify-webhook");
  auto store = notify::DeliveredStore::open(f.state_dir);
  if (!store) return fail(store.error());
  std::unique_ptr<client::PlainProducer> producer;  // dead letters; opened below
  const std::string dlq = topic(g, TopicRole::kDlq);
  auto dead_letter = [&](const notify::DeadLetter& d) -> Status {
    if (auto st =
            producer->produce(dlq, d.record.key, d.record.value, notify::dead_letter_headers(d));
        !st)
      return st;
    return producer->flush();
  };
  notify::SinkOptions o;
  o.url = f.url;
  o.retry.max_attempts = f.max_attempts;
  o.retry.base = std::chrono::milliseconds(static_cast<int64_t>(f.backoff_seconds * 1000));
  o.retry.max_delay = std::chrono::milliseconds(static_cast<int64_t>(f.max_backoff_seconds * 1000));
  o.request_timeout =
      std::chrono::milliseconds(static_cast<int64_t>(f.request_timeout_seconds * 1000));
  // A SIGTERM ends a long backoff within 100 ms.
  auto sink = notify::WebhookSink::create(o, **store, dead_letter,
                                          runtime::stoppable_sleep([] { return g_stop.load(); }));
  if (!sink) return fail(sink.error());  // a bad --url fails before any broker call
  auto opened = open_producer(g);
  if (!opened) return fail(opened.error());
  producer = std::move(*opened);

  std::string err;
  auto consumer = open_consumer(g, f, err);
  if (!consumer) return fail(Error{"kafka.config", "cannot create consumer: " + err});
  const std::string source = topic(g, TopicRole::kNotifications);
  if (auto e = consumer->subscribe({source}); e != RdKafka::ERR_NO_ERROR)
    return fail(Error{"kafka.subscribe", RdKafka::err2str(e)});
  install_stop_handler();
  runtime::log::info("notify webhook started",
                     {{"topic", source}, {"group", f.group}, {"state_dir", f.state_dir}});
  int64_t seen = 0;
  auto idle_since = std::chrono::steady_clock::now();
  int rc = kOk;
  while (!g_stop.load() && (f.max <= 0 || seen < f.max)) {
    std::unique_ptr<RdKafka::Message> m(consumer->consume(200));
    if (m->err() == RdKafka::ERR__TIMED_OUT || m->err() == RdKafka::ERR__PARTITION_EOF) {
      if (f.idle_exit > 0 && std::chrono::steady_clock::now() - idle_since >
                                 std::chrono::duration<double>(f.idle_exit))
        break;
      continue;
    }
    if (m->err() != RdKafka::ERR_NO_ERROR) {
      runtime::log::warn("consume error", {{"error", m->errstr()}});
      continue;
    }
    idle_since = std::chrono::steady_clock::now();
    auto handled = (*sink)->handle(to_record(*m));
    if (!handled) {  // not marked: leave the offset, stop (a restart retries it)
      rc = fail(handled.error());
      break;
    }
    std::vector<RdKafka::TopicPartition*> next = {
        RdKafka::TopicPartition::create(m->topic_name(), m->partition(), m->offset() + 1)};
    const auto ce = consumer->commitSync(next);
    RdKafka::TopicPartition::destroy(next);
    if (ce != RdKafka::ERR_NO_ERROR)  // the id is marked: a replay skips it
      runtime::log::warn("offset commit failed", {{"error", RdKafka::err2str(ce)}});
    ++seen;
  }
  consumer->close();
  const auto& c = (*sink)->counters();
  std::printf(
      "delivered %lld, skipped %lld (already delivered), retries %lld, dead-lettered %lld\n",
      static_cast<long long>(c.delivered.load()), static_cast<long long>(c.skipped.load()),
      static_cast<long long>(c.retries.load()), static_cast<long long>(c.dead_lettered.load()));
  std::fflush(stdout);
  return rc;
}

}  // namespace

void add_notify_command(CLI::App& app, Globals& g, int& rc) {
  auto* notify = app.add_subcommand("notify", "Deliver alerts to reps from baton.notifications");
  notify->require_subcommand(1);
  auto f = std::make_shared<NotifyFlags>();
  auto* webhook = notify->add_subcommand(
      "webhook",
      "POST each alert as Slack-compatible JSON, once per alert id (Idempotency-Key header, "
      "delivered ids kept in --state-dir); undeliverable alerts go to baton.dlq");
  webhook->add_option("--url", f->url, "Webhook URL, http(s)://host[:port]/path")->required();
  webhook->add_option("--state-dir", f->state_dir, "Where delivered alert ids are kept")
      ->capture_default_str();
  webhook->add_option("--group", f->group, "Consumer group")->capture_default_str();
  webhook->add_option("--max-attempts", f->max_attempts, "POSTs per alert before a dead letter")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  webhook->add_option("--backoff", f->backoff_seconds, "First retry delay bound, seconds")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 600.0));
  webhook->add_option("--max-backoff", f->max_backoff_seconds, "Largest retry delay, seconds")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  webhook->add_option("--request-timeout", f->request_timeout_seconds, "Seconds per POST")
      ->capture_default_str()
      ->check(CLI::Range(0.1, 300.0));
  webhook->add_option("--max", f->max, "Stop after this many records (0: until stopped)");
  webhook->add_option("--idle-exit", f->idle_exit,
                      "Stop after this many seconds without a record (0: never)");
  webhook->callback([&g, &rc, f] { rc = run_webhook(g, *f); });
}

}  // namespace baton::cli
