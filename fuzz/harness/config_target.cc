// Config bytes: the runtime's loader (kafka + runtime sections and the
// router's section through its ServiceSpec) and each service's reader.
#include <prometheus/registry.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "app/config.h"
#include "app/router_config.h"
#include "app/runtime_config.h"
#include "app/service.h"
#include "config_reader.h"
#include "harness/targets.h"

namespace baton::fuzz {
namespace {

// One scratch file per process for the loader, which reads a path.
const std::string& scratch_path() {
  static const std::string path = [] {
    char tmpl[] = "/tmp/baton-fuzz-config-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) std::abort();
    close(fd);
    return std::string(tmpl);
  }();
  return path;
}

}  // namespace

int config_one(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  {
    auto root = runtime::ConfigNode::parse(text, "fuzz.yaml");
    auto section = root.child("router");
    (void)router::read_router_config(section, baton::time::system_zones());
    (void)root.status();
  }
  {
    auto root = runtime::ConfigNode::parse(text, "fuzz.yaml");
    auto section = root.child("sla-monitor");
    (void)sla::app::read_config(section);
    section.done();
    (void)root.status();
  }
  {
    auto root = runtime::ConfigNode::parse(text, "fuzz.yaml");
    auto section = root.child("feedback");
    (void)feedback::app::read_config(section);
    section.done();
    (void)root.status();
  }
  {
    FILE* f = std::fopen(scratch_path().c_str(), "wb");
    if (!f) std::abort();
    std::fwrite(data, 1, size, f);
    std::fclose(f);
    prometheus::Registry registry;
    runtime::CommandLine cl;
    cl.config = scratch_path();
    cl.check_only = true;
    (void)runtime::load_runtime_config(router::router_service_spec(), cl, registry);
  }
  return 0;
}

}  // namespace baton::fuzz
