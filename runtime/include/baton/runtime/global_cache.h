// What a processor derives from a global table (an index, a parsed roster),
// kept until the table changes: rebuilt only when StateView::global_version
// moves, so the per-record cost does not grow with the table.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "baton/runtime/processor.h"

namespace baton::runtime {

template <typename T>
class GlobalCache {
 public:
  // The value for the table's current version; `build()` runs (and makes a
  // fresh T) only when the version differs from the last build's.
  template <typename Build>
  const T& get(const StateView& state, std::string_view topic, Build&& build) {
    const uint64_t v = state.global_version(topic);
    if (!value_ || v != version_) {
      value_.reset();
      value_.emplace(std::forward<Build>(build)());
      version_ = v;
    }
    return *value_;
  }

 private:
  std::optional<T> value_;
  uint64_t version_ = 0;
};

}  // namespace baton::runtime
