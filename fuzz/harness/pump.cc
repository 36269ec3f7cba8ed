#include "harness/pump.h"

#include <google/protobuf/stubs/logging.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace baton::fuzz {

Pump::Pump(std::shared_ptr<const Globals> globals) {
  for (const auto& [topic, table] : *globals)
    for (const auto& [k, v] : table) driver_.put_global(topic, k, v);
}

void Pump::add(runtime::Processor* p) {
  // Hostile bytes make protobuf log every invalid UTF-8 string; the fuzz
  // output stays readable without them.
  static const bool silenced = [] {
    google::protobuf::SetLogHandler(
        [](google::protobuf::LogLevel, const char*, int, const std::string&) {});
    return true;
  }();
  (void)silenced;
  driver_.add(p);
}

void Pump::run(runtime::Record in, runtime::TimePoint now, int max_steps) {
  driver_.pipe(std::move(in), now, max_steps);
  driver_.advance(runtime::TimePoint::max(), max_steps);
  for (const auto& r : driver_.rejections())
    if (r == testing::TopologyDriver::kNoReason) std::abort();  // a rejection says why
  if (!driver_.output("").empty()) std::abort();                // an output names its topic
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

runtime::TimePoint fuzz_now() { return runtime::from_millis(1711454400000LL); }

}  // namespace baton::fuzz
