// Replays every committed fuzz input (seed corpora and crash reproducers
// in fuzz/regressions/<target>/) through the fuzz harness: each must run
// without crashing (under the asan preset: without memory errors or UB).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "harness/pump.h"
#include "harness/targets.h"

namespace baton::fuzz {
namespace {

namespace fs = std::filesystem;

int replay_dir(const Target& t, const fs::path& dir) {
  int n = 0;
  if (!fs::is_directory(dir)) return 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string bytes = read_text(e.path().string());
    SCOPED_TRACE(e.path().string());
    EXPECT_EQ(t.fn(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), 0);
    ++n;
  }
  return n;
}

class FuzzReplay : public ::testing::TestWithParam<Target> {};

TEST_P(FuzzReplay, SeedCorpusRunsClean) {
  const fs::path dir = fs::path(BATON_SOURCE_DIR) / "fuzz" / "corpus" / GetParam().name;
  EXPECT_GT(replay_dir(GetParam(), dir), 0) << "no seed corpus in " << dir;
}

TEST_P(FuzzReplay, CrashReproducersStayFixed) {
  replay_dir(GetParam(), fs::path(BATON_SOURCE_DIR) / "fuzz" / "regressions" / GetParam().name);
}

TEST(FuzzReplay, EmptyAndTinyInputsAreHarmless) {
  const uint8_t bytes[] = {0xff, 0xff, 0xff};
  for (const auto& t : all_targets())
    for (size_t n = 0; n <= sizeof bytes; ++n) EXPECT_EQ(t.fn(bytes, n), 0) << t.name;
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzReplay, ::testing::ValuesIn(all_targets()),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace baton::fuzz
