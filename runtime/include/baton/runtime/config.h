// Typed, validated configuration read from one YAML file per service.
//
// Every accessor records its own errors with the field's full path, so one
// start-up reports every bad field at once: "router.pools[2].weight: expected
// a number > 0, got 'abc'". Call done() when a section is read: keys nobody
// read are reported as unknown.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "baton/runtime/status.h"

namespace YAML {
class Node;
}

namespace baton::runtime {

struct ConfigErrors {
  std::vector<std::string> messages;
};

class ConfigNode {
 public:
  ConfigNode();
  ~ConfigNode();
  ConfigNode(const ConfigNode&);
  ConfigNode& operator=(const ConfigNode&);

  // Parses YAML text; errors (syntax) are recorded in the node's sink.
  static ConfigNode parse(const std::string& yaml_text, const std::string& origin);
  static ConfigNode load_file(const std::string& path);

  const std::string& path() const { return path_; }
  bool present() const;  // node exists (not missing)
  bool has(const std::string& key) const;

  std::string str(const std::string& key, const std::string& def);
  std::optional<std::string> required_str(const std::string& key);
  int64_t integer(const std::string& key, int64_t def, int64_t min = INT64_MIN,
                  int64_t max = INT64_MAX);
  std::optional<int64_t> required_integer(const std::string& key, int64_t min = INT64_MIN,
                                          int64_t max = INT64_MAX);
  double number(const std::string& key, double def, std::optional<double> min = std::nullopt,
                std::optional<double> max = std::nullopt);
  bool boolean(const std::string& key, bool def);
  // Durations: "250ms", "30s", "5m", "2h", "7d" or a bare number of seconds.
  std::chrono::milliseconds duration(const std::string& key, std::chrono::milliseconds def);
  std::vector<std::string> str_list(const std::string& key);
  // String value constrained to a set; error lists the allowed values.
  std::string one_of(const std::string& key, const std::string& def,
                     const std::vector<std::string>& allowed);

  ConfigNode child(const std::string& key);              // missing: !present()
  std::vector<ConfigNode> list(const std::string& key);  // sequence of maps
  // Map of name -> node, in file order.
  std::vector<std::pair<std::string, ConfigNode>> entries(const std::string& key);
  // String -> string map (e.g. Kafka properties).
  std::map<std::string, std::string> str_map(const std::string& key);

  // Records a validation error on `key` of this node.
  void error(const std::string& key, const std::string& message);
  // Reports keys of this map that no accessor read.
  void done();

  // Errors recorded anywhere under the root of this node.
  const ConfigErrors& errors() const;
  Status status() const;  // ok, or every error joined by newlines

 private:
  struct Sink;
  ConfigNode(std::shared_ptr<Sink> sink, std::unique_ptr<YAML::Node> node, std::string path);
  std::string key_path(const std::string& key) const;
  std::shared_ptr<Sink> sink_;
  std::unique_ptr<YAML::Node> node_;
  std::string path_;
  std::set<std::string> read_;
};

// Parses "250ms", "30s", "5m", "2h", "7d" or "12" (seconds).
std::optional<std::chrono::milliseconds> parse_duration(const std::string& text);

}  // namespace baton::runtime
