// What nearly every test's own source parses first: gtest, the standard
// library, JSON and the contract's messages. Precompiled once per build and
// reused by every test executable (cmake/BatonTest.cmake, BATON_TEST_PCH):
// the tests' sources compile at -O0 in the sanitizer builds, so parsing these
// headers was about half of each test TU's time.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "baton/v1/activity.pb.h"
#include "baton/v1/lead.pb.h"
#include "baton/v1/lifecycle.pb.h"
#include "baton/v1/outcome.pb.h"
#include "baton/v1/roster.pb.h"
#include "baton/v1/routing.pb.h"
#include "baton/v1/sla.pb.h"
