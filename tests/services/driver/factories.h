// Each service's processor built from its example config, one translation
// unit per service (the services' app headers share names: app/metrics.h).
#pragma once

#include <prometheus/registry.h>

#include <memory>

#include "baton/runtime/processor.h"

namespace baton::driver_test {

std::unique_ptr<runtime::Processor> sla_processor(prometheus::Registry& registry);
std::unique_ptr<runtime::Processor> feedback_processor(prometheus::Registry& registry);

}  // namespace baton::driver_test
