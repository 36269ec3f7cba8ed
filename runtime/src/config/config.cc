#include "baton/runtime/config.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

namespace baton::runtime {

struct ConfigNode::Sink {
  ConfigErrors errors;
};

namespace {
std::string describe(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (n.IsScalar()) return "'" + n.Scalar() + "'";
  if (n.IsSequence()) return "a list";
  return "a map";
}
}  // namespace

ConfigNode::ConfigNode()
    : sink_(std::make_shared<Sink>()), node_(std::make_unique<YAML::Node>()), path_() {}
ConfigNode::~ConfigNode() = default;
ConfigNode::ConfigNode(const ConfigNode& o)
    : sink_(o.sink_),
      node_(std::make_unique<YAML::Node>(*o.node_)),
      path_(o.path_),
      read_(o.read_) {}
ConfigNode& ConfigNode::operator=(const ConfigNode& o) {
  if (this != &o) {
    sink_ = o.sink_;
    node_ = std::make_unique<YAML::Node>(*o.node_);
    path_ = o.path_;
    read_ = o.read_;
  }
  return *this;
}
ConfigNode::ConfigNode(std::shared_ptr<Sink> sink, std::unique_ptr<YAML::Node> node,
                       std::string path)
    : sink_(std::move(sink)), node_(std::move(node)), path_(std::move(path)) {}

ConfigNode ConfigNode::parse(const std::string& text, const std::string& origin) {
  auto sink = std::make_shared<Sink>();
  try {
    auto n = std::make_unique<YAML::Node>(YAML::Load(text));
    if (n->IsDefined() && !n->IsNull() && !n->IsMap()) {
      sink->errors.messages.push_back(origin + ": expected a YAML map at the top level");
      return ConfigNode(sink, std::make_unique<YAML::Node>(), "");
    }
    return ConfigNode(sink, std::move(n), "");
  } catch (const YAML::Exception& e) {
    sink->errors.messages.push_back(origin + ": YAML syntax error at line " +
                                    std::to_string(e.mark.line + 1) + ": " + e.msg);
    return ConfigNode(sink, std::make_unique<YAML::Node>(), "");
  }
}

ConfigNode ConfigNode::load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    ConfigNode n;
    n.sink_->errors.messages.push_back(path + ": cannot read the config file (pass --config FILE)");
    return n;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

bool ConfigNode::present() const { return node_->IsDefined() && !node_->IsNull(); }
bool ConfigNode::has(const std::string& key) const {
  if (!node_->IsMap()) return false;
  auto v = (*node_)[key];
  return v.IsDefined() && !v.IsNull();
}

std::string ConfigNode::key_path(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

void ConfigNode::error(const std::string& key, const std::string& message) {
  sink_->errors.messages.push_back(key_path(key) + ": " + message);
}

std::string ConfigNode::str(const std::string& key, const std::string& def) {
  read_.insert(key);
  if (!has(key)) return def;
  auto v = (*node_)[key];
  if (!v.IsScalar()) {
    error(key, "expected a string, got " + describe(v));
    return def;
  }
  return v.Scalar();
}

std::optional<std::string> ConfigNode::required_str(const std::string& key) {
  read_.insert(key);
  if (!has(key)) {
    error(key, "required: set a string value");
    return std::nullopt;
  }
  auto before = sink_->errors.messages.size();
  auto s = str(key, "");
  if (sink_->errors.messages.size() != before) return std::nullopt;  // wrong type, reported
  if (s.empty()) {
    error(key, "required: must not be empty");
    return std::nullopt;
  }
  return s;
}

int64_t ConfigNode::integer(const std::string& key, int64_t def, int64_t min, int64_t max) {
  read_.insert(key);
  if (!has(key)) return def;
  auto v = (*node_)[key];
  int64_t out = def;
  if (!v.IsScalar() || !YAML::convert<int64_t>::decode(v, out)) {
    error(key, "expected an integer, got " + describe(v));
    return def;
  }
  if (out < min || out > max) {
    error(key, "expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) +
                   "], got " + std::to_string(out));
    return def;
  }
  return out;
}

std::optional<int64_t> ConfigNode::required_integer(const std::string& key, int64_t min,
                                                    int64_t max) {
  if (!has(key)) {
    read_.insert(key);
    error(key, "required: set an integer value");
    return std::nullopt;
  }
  auto before = sink_->errors.messages.size();
  auto v = integer(key, 0, min, max);
  if (sink_->errors.messages.size() != before) return std::nullopt;
  return v;
}

double ConfigNode::number(const std::string& key, double def, std::optional<double> min,
                          std::optional<double> max) {
  read_.insert(key);
  if (!has(key)) return def;
  auto v = (*node_)[key];
  double out = def;
  if (!v.IsScalar() || !YAML::convert<double>::decode(v, out)) {
    error(key, "expected a number, got " + describe(v));
    return def;
  }
  if ((min && out < *min) || (max && out > *max)) {
    std::ostringstream m;
    m << "expected a number";
    if (min) m << " >= " << *min;
    if (max) m << (min ? " and" : "") << " <= " << *max;
    m << ", got " << out;
    error(key, m.str());
    return def;
  }
  return out;
}

bool ConfigNode::boolean(const std::string& key, bool def) {
  read_.insert(key);
  if (!has(key)) return def;
  auto v = (*node_)[key];
  bool out = def;
  if (!v.IsScalar() || !YAML::convert<bool>::decode(v, out)) {
    error(key, "expected true or false, got " + describe(v));
    return def;
  }
  return out;
}

std::optional<std::chrono::milliseconds> parse_duration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  size_t i = 0;
  bool neg = false;
  if (text[0] == '-') {
    neg = true;
    i = 1;
  }
  size_t digits_end = i;
  while (digits_end < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits_end])) || text[digits_end] == '.'))
    ++digits_end;
  if (digits_end == i) return std::nullopt;
  double value = 0;
  try {
    value = std::stod(text.substr(i, digits_end - i));
  } catch (...) {
    return std::nullopt;
  }
  std::string unit = text.substr(digits_end);
  double ms = 0;
  if (unit.empty() || unit == "s")
    ms = value * 1000;
  else if (unit == "ms")
    ms = value;
  else if (unit == "m")
    ms = value * 60000;
  else if (unit == "h")
    ms = value * 3600000;
  else if (unit == "d")
    ms = value * 86400000;
  else
    return std::nullopt;
  // At most 100 years: anything longer is a typo, and would overflow the
  // nanosecond clock once added to a time (fuzz finding: 9e92 s).
  constexpr double kMaxMs = 100.0 * 365 * 86400000;
  if (!(ms <= kMaxMs)) return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(neg ? -ms : ms));
}

std::chrono::milliseconds ConfigNode::duration(const std::string& key,
                                               std::chrono::milliseconds def) {
  read_.insert(key);
  if (!has(key)) return def;
  auto v = (*node_)[key];
  if (!v.IsScalar()) {
    error(key, "expected a duration such as 30s, 5m, 2h, 1d, got " + describe(v));
    return def;
  }
  auto d = parse_duration(v.Scalar());
  if (!d) {
    error(key, "expected a duration such as 250ms, 30s, 5m, 2h, 1d, got '" + v.Scalar() + "'");
    return def;
  }
  if (d->count() < 0) {
    error(key, "expected a duration >= 0, got '" + v.Scalar() + "'");
    return def;
  }
  return *d;
}

std::vector<std::string> ConfigNode::str_list(const std::string& key) {
  read_.insert(key);
  std::vector<std::string> out;
  if (!has(key)) return out;
  auto v = (*node_)[key];
  if (!v.IsSequence()) {
    error(key, "expected a list of strings, got " + describe(v));
    return out;
  }
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].IsScalar()) {
      error(key + "[" + std::to_string(i) + "]", "expected a string, got " + describe(v[i]));
      continue;
    }
    out.push_back(v[i].Scalar());
  }
  return out;
}

std::string ConfigNode::one_of(const std::string& key, const std::string& def,
                               const std::vector<std::string>& allowed) {
  auto s = str(key, def);
  for (const auto& a : allowed)
    if (a == s) return s;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  error(key, "expected one of " + list + ", got '" + s + "'");
  return def;
}

ConfigNode ConfigNode::child(const std::string& key) {
  read_.insert(key);
  if (!has(key)) return ConfigNode(sink_, std::make_unique<YAML::Node>(), key_path(key));
  auto v = (*node_)[key];
  if (!v.IsMap()) {
    error(key, "expected a map, got " + describe(v));
    return ConfigNode(sink_, std::make_unique<YAML::Node>(), key_path(key));
  }
  return ConfigNode(sink_, std::make_unique<YAML::Node>(v), key_path(key));
}

std::vector<ConfigNode> ConfigNode::list(const std::string& key) {
  read_.insert(key);
  std::vector<ConfigNode> out;
  if (!has(key)) return out;
  auto v = (*node_)[key];
  if (!v.IsSequence()) {
    error(key, "expected a list, got " + describe(v));
    return out;
  }
  for (size_t i = 0; i < v.size(); ++i) {
    auto p = key_path(key) + "[" + std::to_string(i) + "]";
    if (!v[i].IsMap()) {
      sink_->errors.messages.push_back(p + ": expected a map, got " + describe(v[i]));
      continue;
    }
    out.push_back(ConfigNode(sink_, std::make_unique<YAML::Node>(v[i]), p));
  }
  return out;
}

std::vector<std::pair<std::string, ConfigNode>> ConfigNode::entries(const std::string& key) {
  read_.insert(key);
  std::vector<std::pair<std::string, ConfigNode>> out;
  if (!has(key)) return out;
  auto v = (*node_)[key];
  if (!v.IsMap()) {
    error(key, "expected a map, got " + describe(v));
    return out;
  }
  for (auto it = v.begin(); it != v.end(); ++it) {
    auto name = it->first.Scalar();
    auto p = key_path(key) + "." + name;
    out.emplace_back(name, ConfigNode(sink_, std::make_unique<YAML::Node>(it->second), p));
  }
  return out;
}

std::map<std::string, std::string> ConfigNode::str_map(const std::string& key) {
  read_.insert(key);
  std::map<std::string, std::string> out;
  if (!has(key)) return out;
  auto v = (*node_)[key];
  if (!v.IsMap()) {
    error(key, "expected a map of strings, got " + describe(v));
    return out;
  }
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!it->second.IsScalar()) {
      error(key + "." + it->first.Scalar(), "expected a string, got " + describe(it->second));
      continue;
    }
    out[it->first.Scalar()] = it->second.Scalar();
  }
  return out;
}

void ConfigNode::done() {
  if (!node_->IsMap()) return;
  for (auto it = node_->begin(); it != node_->end(); ++it) {
    auto k = it->first.Scalar();
    if (!read_.count(k)) error(k, "unknown key (check the spelling; see the example config)");
  }
}

const ConfigErrors& ConfigNode::errors() const { return sink_->errors; }

Status ConfigNode::status() const {
  if (sink_->errors.messages.empty()) return Status::ok();
  std::string all;
  for (const auto& m : sink_->errors.messages) all += (all.empty() ? "" : "\n") + m;
  return Error{"config.invalid", all};
}

}  // namespace baton::runtime
