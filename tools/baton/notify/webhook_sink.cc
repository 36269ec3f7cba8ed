#include "webhook_sink.h"

#include <fcntl.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "baton/runtime/headers.h"
#include "baton/runtime/log.h"
#include "baton/v1/contract.h"

namespace baton::notify {
namespace {

bool retriable(int status) { return status == 408 || status == 429 || status >= 500; }

// One POST's outcome: delivered, refused for good, or worth another try.
struct Post {
  enum Outcome { kDelivered, kRejected, kFailed } outcome;
  std::string detail;
};

}  // namespace

std::string slack_payload(const v1::RepAlert& a) {
  nlohmann::json j;
  j["text"] = a.summary();
  j["alert_id"] = a.alert_id();
  j["kind"] = v1::alert_kind_label(a.kind());
  j["rep_id"] = a.rep_id();
  j["lead_id"] = a.lead_id();
  j["blocks"] = nlohmann::json::array(
      {{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", a.summary()}}}},
       {{"type", "context"},
        {"elements", nlohmann::json::array({{{"type", "mrkdwn"},
                                             {"text", std::string("lead `") + a.lead_id() + "` · " +
                                                          v1::alert_kind_label(a.kind())}}})}}});
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::unique_ptr<DeliveredStore>> DeliveredStore::open(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{"notify.state_dir", "cannot create " + dir + ": " + ec.message()};
  auto s = std::unique_ptr<DeliveredStore>(new DeliveredStore());
  s->path_ = (std::filesystem::path(dir) / "delivered-alerts").string();
  {
    std::ifstream in(s->path_);
    std::string line;
    // A torn last line (crash mid-append) has no newline: getline still
    // returns it, and an id that was never fsynced is at worst sent again.
    while (std::getline(in, line))
      if (!line.empty()) s->ids_.insert(line);
  }
  s->fd_ = ::open(s->path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (s->fd_ < 0)
    return Error{"notify.state_dir", "cannot open " + s->path_ + ": " + std::strerror(errno)};
  return s;
}

DeliveredStore::~DeliveredStore() {
  if (fd_ >= 0) ::close(fd_);
}

Status DeliveredStore::add(const std::string& alert_id) {
  if (ids_.count(alert_id)) return Status::ok();
  const std::string line = "\n" + alert_id + "\n";  // a leading newline ends a torn line
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error{"notify.state_write", path_ + ": " + std::strerror(errno)};
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd_) != 0) return Error{"notify.state_write", path_ + ": " + std::strerror(errno)};
  ids_.insert(alert_id);
  return Status::ok();
}

std::vector<runtime::Header> dead_letter_headers(const DeadLetter& d) {
  return runtime::dead_letter_headers(d.record, runtime::Rejection{d.reason, d.detail},
                                      "notify-webhook");
}

Result<std::unique_ptr<WebhookSink>> WebhookSink::create(SinkOptions options, DeliveredStore& store,
                                                         DeadLetterFn dead_letter, SleepFn sleep) {
  auto sink = std::unique_ptr<WebhookSink>(
      new WebhookSink(std::move(options), store, std::move(dead_letter), std::move(sleep)));
  const std::string& url = sink->options_.url;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos ||
      (url.compare(0, scheme_end, "http") != 0 && url.compare(0, scheme_end, "https") != 0))
    return Error{"input.url", "expected http://host[:port]/path or https://..., got '" + url + "'"};
  const auto path_at = url.find('/', scheme_end + 3);
  sink->scheme_host_port_ = url.substr(0, path_at);
  sink->path_ = path_at == std::string::npos ? "/" : url.substr(path_at);
  if (sink->scheme_host_port_.size() <= scheme_end + 3)
    return Error{"input.url", "no host in '" + url + "'"};
  return sink;
}

WebhookSink::WebhookSink(SinkOptions options, DeliveredStore& store, DeadLetterFn dead_letter,
                         SleepFn sleep)
    : options_(std::move(options)),
      store_(store),
      dead_letter_(std::move(dead_letter)),
      sleep_(std::move(sleep)),
      rng_(options_.seed) {}

Result<Handled> WebhookSink::dead_letter(const runtime::Record& record, const std::string& alert_id,
                                         std::string reason, std::string detail) {
  DeadLetter d{std::move(reason), std::move(detail), record};
  if (auto st = dead_letter_(d); !st) return st.error();
  // Marked after the dead letter is written: a replay neither posts nor
  // dead-letters it again.
  if (!alert_id.empty())
    if (auto st = store_.add(alert_id); !st) return st.error();
  ++counters_.dead_lettered;
  runtime::log::error("alert dead-lettered", {{"reason", d.reason},
                                              {"detail", d.detail},
                                              {"alert_id", alert_id},
                                              {"topic", record.topic},
                                              {"partition", std::to_string(record.partition)},
                                              {"offset", std::to_string(record.offset)}});
  return Handled::kDeadLettered;
}

Result<Handled> WebhookSink::handle(const runtime::Record& record) {
  v1::RepAlert alert;
  if (!alert.ParseFromString(record.value) || alert.alert_id().empty())
    return dead_letter(record, "", "decode", "not a baton.v1.RepAlert with an alert_id");
  if (store_.contains(alert.alert_id())) {
    ++counters_.skipped;
    return Handled::kSkipped;
  }
  const std::string body = slack_payload(alert);
  httplib::Client client(scheme_host_port_);
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(options_.request_timeout);
  const auto usecs =
      std::chrono::duration_cast<std::chrono::microseconds>(options_.request_timeout - secs);
  client.set_connection_timeout(secs.count(), usecs.count());
  client.set_read_timeout(secs.count(), usecs.count());
  client.set_write_timeout(secs.count(), usecs.count());
  const httplib::Headers headers = {{"Idempotency-Key", alert.alert_id()}};
  RetryPolicy policy = options_.retry;
  policy.max_attempts = std::max(1, policy.max_attempts);
  runtime::RetryEnv env;
  env.sleep = sleep_;
  env.unit = [this] { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); };
  runtime::Retry retry(policy, std::move(env));
  const Post post = retry.run(
      [&](int attempt) {
        auto res = client.Post(path_, headers, body, "application/json");
        Post p{Post::kFailed, ""};
        if (!res)
          p.detail = "http error " + httplib::to_string(res.error());
        else if (res->status >= 200 && res->status < 300)
          return Post{Post::kDelivered, ""};
        else
          p = Post{retriable(res->status) ? Post::kFailed : Post::kRejected,
                   "status " + std::to_string(res->status)};
        if (p.outcome == Post::kFailed)
          runtime::log::warn("alert post failed", {{"alert_id", alert.alert_id()},
                                                   {"attempt", std::to_string(attempt)},
                                                   {"error", p.detail}});
        return p;
      },
      [](const Post& p) { return p.outcome == Post::kFailed; },
      [this](const Post&, int, std::chrono::milliseconds) { ++counters_.retries; });
  switch (post.outcome) {
    case Post::kDelivered:
      if (auto st = store_.add(alert.alert_id()); !st) return st.error();
      ++counters_.delivered;
      runtime::log::debug("alert delivered", {{"alert_id", alert.alert_id()},
                                              {"attempts", std::to_string(retry.attempts())}});
      return Handled::kDelivered;
    case Post::kRejected:
      return dead_letter(record, alert.alert_id(), "webhook_rejected", post.detail);
    case Post::kFailed:
      break;
  }
  return dead_letter(record, alert.alert_id(), "webhook_retries_exhausted",
                     std::to_string(retry.attempts()) + " attempts, last: " + post.detail);
}

}  // namespace baton::notify
