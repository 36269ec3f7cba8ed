#include "config.h"

#include <algorithm>
#include <cctype>

namespace baton::router {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<v1::SignalType> signal_from_name(std::string_view name) {
  std::string n = "SIGNAL_" + lower(name);
  std::transform(n.begin(), n.end(), n.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  v1::SignalType t;
  if (!v1::SignalType_Parse(n, &t) || t == v1::SIGNAL_UNSPECIFIED) return std::nullopt;
  return t;
}

std::string signal_name(v1::SignalType t) {
  std::string n = v1::SignalType_Name(t);
  if (n.rfind("SIGNAL_", 0) == 0) n = n.substr(7);
  return lower(n);
}

std::string strategy_name(Strategy s) {
  switch (s) {
    case Strategy::kRoundRobin:
      return "round_robin";
    case Strategy::kWeighted:
      return "weighted";
    case Strategy::kLeastLoaded:
      return "least_loaded";
  }
  return "round_robin";
}

const std::string& desk_of(const RoutingConfig& cfg, const std::string& pool) {
  static const std::string kDefault = kDefaultDesk;
  auto it = cfg.pools.find(pool);
  return it == cfg.pools.end() ? kDefault : it->second.desk;
}

const std::string& identity_desk(const RoutingConfig& cfg) {
  return cfg.identity.desk.empty() ? desk_of(cfg, cfg.default_pool) : cfg.identity.desk;
}

std::vector<ConfigIssue> validate_config(const RoutingConfig& cfg) {
  std::vector<ConfigIssue> out;
  auto known = [&](const std::string& p) { return cfg.pools.count(p) > 0; };
  if (cfg.pools.empty()) out.push_back({"pools", "at least one pool is required"});
  if (!cfg.reopen.won_pool.empty() && !known(cfg.reopen.won_pool))
    out.push_back({"reopen.won_pool", "unknown pool '" + cfg.reopen.won_pool + "'"});
  if (cfg.default_pool.empty()) {
    out.push_back({"default_pool", "required"});
  } else if (!known(cfg.default_pool)) {
    out.push_back({"default_pool", "unknown pool '" + cfg.default_pool + "'"});
  }
  for (size_t i = 0; i < cfg.rules.size(); ++i) {
    const auto& r = cfg.rules[i];
    std::string base = "rules[" + std::to_string(i) + "]";
    if (!known(r.pool)) out.push_back({base + ".pool", "unknown pool '" + r.pool + "'"});
    if (r.name.empty()) out.push_back({base + ".name", "required"});
  }
  if (cfg.nurture.enabled) {
    if (cfg.nurture.pool.empty())
      out.push_back({"nurture.pool", "required when nurture.enabled is true"});
    else if (!known(cfg.nurture.pool))
      out.push_back({"nurture.pool", "unknown pool '" + cfg.nurture.pool + "'"});
  }
  for (const auto& [name, p] : cfg.pools) {
    if (!p.fallback.empty() && !known(p.fallback))
      out.push_back({"pools." + name + ".fallback", "unknown pool '" + p.fallback + "'"});
    if (p.fallback == name)
      out.push_back({"pools." + name + ".fallback", "a pool cannot be its own fallback"});
    for (const auto& [rep, w] : p.weights)
      if (!(w > 0))
        out.push_back({std::string("pools.").append(name).append(".weights.").append(rep),
                       "weight must be > 0"});
  }
  if (cfg.scoring.half_life.count() <= 0)
    out.push_back({"scoring.intent.half_life", "must be > 0"});
  if (cfg.identity.fields.empty()) out.push_back({"identity.fields", "at least one field"});
  if (cfg.max_reassignments < 0) out.push_back({"max_reassignments", "must be >= 0"});
  return out;
}

}  // namespace baton::router
