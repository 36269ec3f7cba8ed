#include "dev/state.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace baton::dev {

using nlohmann::json;

std::filesystem::path state_path(const std::filesystem::path& dir) {
  return dir / "dev-state.json";
}

void write_state(const std::filesystem::path& path, const DevState& s) {
  json services = json::array();
  for (const auto& e : s.services) {
    services.push_back({{"name", e.process.name},
                        {"pid", e.process.pid},
                        {"start_time", e.process.start_time},
                        {"port", e.port},
                        {"log", e.log}});
  }
  json j = {{"dir", s.dir},
            {"bootstrap", s.bootstrap},
            {"prefix", s.prefix},
            {"root", s.root},
            {"kafka_dir", s.kafka_dir},
            {"query_port", s.query_port},
            {"query_token_file", s.query_token_file},
            {"services", services}};
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump(2) << "\n";
    if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw std::runtime_error("cannot write " + path.string() + ": " + ec.message());
}

std::optional<DevState> read_state(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    if (!std::filesystem::exists(path)) return std::nullopt;
    throw std::runtime_error("cannot read " + path.string());
  }
  std::stringstream buf;
  buf << in.rdbuf();
  try {
    json j = json::parse(buf.str());
    DevState s;
    s.dir = j.at("dir").get<std::string>();
    s.bootstrap = j.at("bootstrap").get<std::string>();
    s.prefix = j.value("prefix", "");
    s.root = j.value("root", "");
    s.kafka_dir = j.value("kafka_dir", "");
    s.query_port = j.value("query_port", 0);
    s.query_token_file = j.value("query_token_file", "");
    for (const auto& e : j.at("services")) {
      ServiceEntry se;
      se.process.name = e.at("name").get<std::string>();
      se.process.pid = e.at("pid").get<pid_t>();
      se.process.start_time = e.at("start_time").get<uint64_t>();
      se.port = e.value("port", 0);
      se.log = e.value("log", "");
      s.services.push_back(std::move(se));
    }
    return s;
  } catch (const json::exception& e) {
    throw std::runtime_error(path.string() + " is not a dev state file: " + e.what());
  }
}

}  // namespace baton::dev
