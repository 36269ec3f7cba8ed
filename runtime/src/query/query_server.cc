#include "query/query_server.h"

#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include "admin/serve.h"
#include "baton/runtime/log.h"
#include "query/mask.h"

namespace baton::runtime::query {
namespace {

// "/leads/([^/]+)/timeline" -> "/leads/{id}/timeline": the audit's and the
// metric's endpoint name (bounded: one per route).
std::string endpoint_name(const std::string& pattern) {
  return std::regex_replace(pattern, std::regex(R"(\(\[\^/\]\+\))"), "{id}");
}

// A lead id as the services write them: no path tricks, no control bytes.
bool valid_lead_id(const std::string& id) {
  if (id.empty() || id.size() > 256 || id == "." || id == "..") return false;
  for (unsigned char c : id)
    if (c < 0x21 || c == 0x7f || c == '/' || c == '\\') return false;
  return true;
}

std::string bearer(const httplib::Request& req) {
  const auto h = req.get_header_value("Authorization");
  constexpr std::string_view kPrefix = "Bearer ";
  if (h.size() <= kPrefix.size() || h.compare(0, kPrefix.size(), kPrefix) != 0) return {};
  return h.substr(kPrefix.size());
}

std::string error_body(const std::string& msg) { return R"({"error":")" + msg + R"("})"; }

thread_local std::string t_authorization;

Status readable(const std::string& field, const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return Error{field, "cannot read '" + path + "' (mount the Secret there, or fix the path)"};
  return Status::ok();
}

}  // namespace

const std::string& current_authorization() { return t_authorization; }

Status validate(const ListenerConfig& cfg) {
  if (cfg.token_file.empty()) return Status::ok();
  if (auto s = readable("runtime.query.token_file", cfg.token_file); !s) return s;
  const bool tls = !cfg.tls_cert_file.empty() || !cfg.tls_key_file.empty();
  if (tls && cfg.plaintext)
    return Error{"runtime.query.plaintext",
                 "true together with TLS files: remove plaintext (TLS is the default)"};
  if (!tls && !cfg.plaintext)
    return Error{"runtime.query.tls_cert_file",
                 "the query listener serves TLS: set tls_cert_file and tls_key_file (a mounted "
                 "Secret), or plaintext: true for a local run"};
  if (tls) {
    if (cfg.tls_cert_file.empty() || cfg.tls_key_file.empty())
      return Error{
          cfg.tls_cert_file.empty() ? "runtime.query.tls_cert_file" : "runtime.query.tls_key_file",
          "missing: TLS needs both the certificate and the key file"};
    if (auto s = readable("runtime.query.tls_cert_file", cfg.tls_cert_file); !s) return s;
    if (auto s = readable("runtime.query.tls_key_file", cfg.tls_key_file); !s) return s;
  }
  return Status::ok();
}

QueryServer::QueryServer(ListenerConfig cfg, const QueryRouter& routes,
                         prometheus::Registry& registry)
    : cfg_(std::move(cfg)),
      routes_(routes),
      requests_(prometheus::BuildCounter()
                    .Name("baton_query_requests_total")
                    .Help("Query listener requests by endpoint and result (ok, not_found, "
                          "unauthorized, forbidden, bad_request, error)")
                    .Register(registry)) {}

QueryServer::~QueryServer() { stop(); }

Status QueryServer::start() {
  if (cfg_.token_file.empty()) {
    log::info(
        "query listener off: no runtime.query.token_file (per-lead and report queries "
        "are not served; see docs/security.md)");
    return Status::ok();
  }
  if (auto s = validate(cfg_); !s) return s;
  auto tokens = TokenStore::open(cfg_.token_file);
  if (!tokens) return tokens.error();
  tokens_ = std::move(tokens.value());
  if (cfg_.plaintext) {
    server_ = std::make_unique<httplib::Server>();
  } else {
    auto ssl =
        std::make_unique<httplib::SSLServer>(cfg_.tls_cert_file.c_str(), cfg_.tls_key_file.c_str());
    if (!ssl->is_valid())
      return Error{"runtime.query.tls_cert_file",
                   "'" + cfg_.tls_cert_file + "' and '" + cfg_.tls_key_file +
                       "' are not a PEM certificate and its private key"};
    server_ = std::move(ssl);
  }
  for (const auto& r : routes_.routes()) add_route(r);
  if (!routes_.shared().empty()) add_scan_endpoint();
  server_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) res.set_content(error_body("no such query"), "application/json");
  });
  if (cfg_.port == 0) {
    port_ = server_->bind_to_any_port(cfg_.host);
    if (port_ <= 0) return Error{"runtime.query.port", "cannot bind on " + cfg_.host};
  } else {
    if (!server_->bind_to_port(cfg_.host, cfg_.port))
      return Error{"runtime.query.port", "cannot bind " + cfg_.host + ":" +
                                             std::to_string(cfg_.port) +
                                             " (in use? set runtime.query.port)"};
    port_ = cfg_.port;
  }
  thread_ = serve_in_background(*server_);
  watcher_ = std::thread([this] {
    std::unique_lock lk(mu_);
    while (!cv_.wait_for(lk, cfg_.reload_interval, [this] { return stopping_; })) {
      lk.unlock();
      tokens_->reload_if_changed();
      lk.lock();
    }
  });
  log::info("query listener serving", {{"port", std::to_string(port_)},
                                       {"tls", cfg_.plaintext ? "off" : "on"},
                                       {"tokens", std::to_string(tokens_->size())}});
  return Status::ok();
}

void QueryServer::add_route(const QueryRouter::Route& route) {
  const std::string endpoint = endpoint_name(route.pattern);
  auto& ok = requests_.Add({{"endpoint", endpoint}, {"result", "ok"}});
  auto& not_found = requests_.Add({{"endpoint", endpoint}, {"result", "not_found"}});
  auto& unauthorized = requests_.Add({{"endpoint", endpoint}, {"result", "unauthorized"}});
  auto& forbidden = requests_.Add({{"endpoint", endpoint}, {"result", "forbidden"}});
  auto& bad_request = requests_.Add({{"endpoint", endpoint}, {"result", "bad_request"}});
  auto& failed = requests_.Add({{"endpoint", endpoint}, {"result", "error"}});
  const auto scope = route.scope;
  const auto handler = route.handler;
  server_->Get(route.pattern, [=, this, &ok, &not_found, &unauthorized, &forbidden, &bad_request,
                               &failed](const httplib::Request& req, httplib::Response& res) {
    const auto caller = tokens_->authenticate(bearer(req));
    const std::string lead =
        scope == QueryScope::kLead && req.matches.size() > 1 ? std::string(req.matches[1]) : "";
    auto audit = [&](int status) {
      log::info("query audit", {{"who", caller ? caller->name : "-"},
                                {"endpoint", endpoint},
                                {"lead", lead.empty() ? "-" : sha256_hex(lead).substr(0, 16)},
                                {"status", std::to_string(status)},
                                {"pii", caller && caller->has(kPiiRead) ? "clear" : "masked"}});
    };
    if (!caller) {
      unauthorized.Increment();
      res.status = 401;
      res.set_header("WWW-Authenticate", R"(Bearer realm="baton")");
      res.set_content(error_body("a bearer token is required"), "application/json");
      audit(res.status);
      return;
    }
    const Scope needed = scope == QueryScope::kLead ? kLeadsRead : kReportsRead;
    if (!caller->has(needed)) {
      forbidden.Increment();
      res.status = 403;
      res.set_content(error_body(std::string("this token lacks ") +
                                 (needed == kLeadsRead ? "leads:read" : "reports:read")),
                      "application/json");
      audit(res.status);
      return;
    }
    if (scope == QueryScope::kLead && !valid_lead_id(lead)) {
      bad_request.Increment();
      res.status = 400;
      res.set_content(error_body("not a lead id"), "application/json");
      audit(res.status);
      return;
    }
    QueryRequest q;
    q.path = req.path;
    for (size_t i = 1; i < req.matches.size(); ++i) q.params.push_back(req.matches[i]);
    for (const auto& [k, v] : req.params) q.query[k] = v;
    QueryResponse r;
    t_authorization = req.get_header_value("Authorization");
    try {
      r = handler(q);
    } catch (const IncompleteReport& e) {
      r = QueryResponse{503, error_body(std::string("report incomplete: ") + e.what())};
    } catch (const std::exception&) {
      r = QueryResponse{500, error_body("internal")};
    }
    bool masked_by_peer = false;
    if (r.status == 404 && scope == QueryScope::kLead && fanout_ &&
        !req.has_header(kForwardedHeader)) {
      // Another replica may own the lead: it answers under the same token.
      if (auto other = fanout_->forward_lead(lead, req.target, t_authorization)) {
        r = std::move(*other);
        masked_by_peer = true;
      }
    }
    t_authorization.clear();
    (r.status == 200 ? ok : r.status == 404 ? not_found : failed).Increment();
    res.status = r.status;
    res.set_content(caller->has(kPiiRead) || masked_by_peer ? r.body : mask_json(r.body),
                    "application/json");
    audit(res.status);
  });
}

// The shared prefixes of this replica's tasks, for the others' reports
// (reports:read; only what QueryRouter::share declared).
void QueryServer::add_scan_endpoint() {
  auto& served = requests_.Add({{"endpoint", kScanPath}, {"result", "ok"}});
  auto& refused = requests_.Add({{"endpoint", kScanPath}, {"result", "forbidden"}});
  server_->Get(
      kScanPath, [this, &served, &refused](const httplib::Request& req, httplib::Response& res) {
        const auto caller = tokens_->authenticate(bearer(req));
        const std::string processor = req.get_param_value("processor");
        const std::string prefix = req.get_param_value("prefix");
        if (!caller || !caller->has(kReportsRead) || !routes_.shared().count({processor, prefix}) ||
            !routes_.local_scan) {
          refused.Increment();
          res.status = caller ? 403 : 401;
          res.set_content(error_body("not a shared report prefix, or the token lacks reports:read"),
                          "application/json");
          return;
        }
        std::vector<std::tuple<int32_t, std::string, std::string>> entries;
        auto held = routes_.local_scan(processor, prefix,
                                       [&](int32_t p, std::string_view k, std::string_view v) {
                                         entries.emplace_back(p, std::string(k), std::string(v));
                                       });
        served.Increment();
        log::info("query audit", {{"who", caller->name},
                                  {"endpoint", kScanPath},
                                  {"lead", "-"},
                                  {"status", "200"},
                                  {"pii", "none"}});
        res.set_content(encode_scan(held, entries), "application/octet-stream");
      });
}

std::string QueryServer::advertised() const {
  if (!cfg_.advertise.empty()) return cfg_.advertise;
  std::string host = cfg_.host;
  if (host.empty() || host == "0.0.0.0" || host == "::") {
    char name[256] = {};
    host = ::gethostname(name, sizeof name - 1) == 0 && name[0] ? name : "127.0.0.1";
  }
  return host + ":" + std::to_string(port_);
}

void QueryServer::stop() noexcept {
  try {
    {
      std::lock_guard lk(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (watcher_.joinable()) watcher_.join();
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
  } catch (...) {
  }
}

}  // namespace baton::runtime::query
