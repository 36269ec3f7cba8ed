#include "baton/runtime/effects_view.h"

namespace baton::runtime {

std::optional<std::string> EffectsView::get(std::string_view key) const {
  for (auto it = fx_.writes.rbegin(); it != fx_.writes.rend(); ++it)
    if (it->first == key) return it->second;
  return base_.get(key);
}

}  // namespace baton::runtime
