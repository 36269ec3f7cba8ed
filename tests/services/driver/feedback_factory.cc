#include "app/config.h"
#include "app/metrics.h"
#include "app/processor.h"
#include "factories.h"

namespace baton::driver_test {

std::unique_ptr<runtime::Processor> feedback_processor(prometheus::Registry& registry) {
  feedback::app::FeedbackConfig fc;
  auto fm = std::make_shared<feedback::app::FeedbackMetrics>(registry, fc);
  return std::make_unique<feedback::app::FeedbackProcessor>(fc, fm);
}

}  // namespace baton::driver_test
