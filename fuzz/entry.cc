// libFuzzer entry point: BATON_FUZZ_FN (set per target by CMake) is one of
// the harness functions in harness/targets.h.
#include <cstddef>
#include <cstdint>

#include "harness/targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return BATON_FUZZ_FN(data, size);
}
