// A task's state with the writes of effects not yet returned on top, for a
// processor that takes several decisions for one input: each step reads what
// the steps before it wrote (router: a fallback answered on the same desk).
#pragma once

#include "baton/runtime/processor.h"

namespace baton::runtime {

class EffectsView : public StateView {
 public:
  // Both are borrowed and must outlive the view.
  EffectsView(const StateView& base, const Effects& fx) : base_(base), fx_(fx) {}

  // The last write of `key` in the effects (nullopt if it was deleted), else the base's value.
  std::optional<std::string> get(std::string_view key) const override;
  // The base's keys only: scans do not see the pending writes.
  void scan(std::string_view prefix,
            const std::function<bool(std::string_view, std::string_view)>& fn) const override {
    base_.scan(prefix, fn);
  }
  std::optional<std::string> global(std::string_view topic, std::string_view key) const override {
    return base_.global(topic, key);
  }
  void scan_global(
      std::string_view topic,
      const std::function<bool(std::string_view, std::string_view)>& fn) const override {
    base_.scan_global(topic, fn);
  }
  uint64_t global_version(std::string_view topic) const override {
    return base_.global_version(topic);
  }

 private:
  const StateView& base_;
  const Effects& fx_;
};

}  // namespace baton::runtime
