#include "baton/runtime/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

#include "baton/time/time.h"

namespace baton::runtime::log {

namespace {
std::mutex g_mu;
std::string g_service = "baton";
std::atomic<int> g_level{static_cast<int>(Level::info)};
const char* name(Level l) {
  switch (l) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warn:
      return "warn";
    case Level::error:
      return "error";
  }
  return "info";
}
}  // namespace

void set_service(std::string service) {
  std::lock_guard lk(g_mu);
  g_service = std::move(service);
}
void set_level(Level level) { g_level = static_cast<int>(level); }

Level parse_level(std::string_view s, Level def) {
  if (s == "debug") return Level::debug;
  if (s == "info") return Level::info;
  if (s == "warn") return Level::warn;
  if (s == "error") return Level::error;
  return def;
}

void write(Level level, std::string_view msg, std::initializer_list<Field> fields) {
  if (static_cast<int>(level) < g_level.load()) return;
  nlohmann::json j;
  auto now = std::chrono::system_clock::now();
  j["ts"] = time::to_millis(now);
  j["level"] = name(level);
  {
    std::lock_guard lk(g_mu);
    j["service"] = g_service;
  }
  j["msg"] = std::string(msg);
  for (const auto& [k, v] : fields) j[std::string(k)] = v;
  auto line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard lk(g_mu);
  std::fputs(line.c_str(), stderr);
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

}  // namespace baton::runtime::log
