// A small in-memory CommittedState for the runtime's unit tests.
#pragma once

#include <algorithm>
#include <map>
#include <string>

#include "state/overlay.h"

namespace baton::runtime::testing {

class MapState : public CommittedState {
 public:
  std::optional<std::string> get(std::string_view key) const override {
    auto it = data.find(key);
    if (it == data.end()) return std::nullopt;
    return it->second;
  }
  using CommittedState::scan;
  void scan(std::string_view prefix, std::string_view from, const ScanFn& fn) const override {
    for (auto it = data.lower_bound(std::max(prefix, from));
         it != data.end() && std::string_view(it->first).starts_with(prefix); ++it)
      if (!fn(it->first, it->second)) return;
  }
  // Applies an overlay's pending writes, as a commit would.
  void commit(Overlay& o) {
    for (auto& [k, v] : o.take()) {
      if (v)
        data[k] = *v;
      else
        data.erase(k);
    }
  }
  std::map<std::string, std::string, std::less<>> data;
};

}  // namespace baton::runtime::testing
