// A test's work folder under /tmp: removed when the test passed (kept for
// its logs when it failed, or with BATON_KEEP_TEST_DIRS=1).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "harness.h"

namespace baton::dev {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix) : path_(test::temp_dir(prefix)) {}
  ~TempDir() {
    const char* keep = std::getenv("BATON_KEEP_TEST_DIRS");
    std::error_code ec;
    if (!::testing::Test::HasFailure() && (keep == nullptr || std::string(keep) != "1"))
      std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace baton::dev
