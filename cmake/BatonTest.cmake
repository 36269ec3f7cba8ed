# Test helpers: every test is labelled with its tier.
include(GoogleTest)

# baton_test(NAME name TIER unit|integration|fault|e2e SOURCES ... LIBS ... [TIMEOUT s])
# baton_test(NAME name TIER ... TARGET exe ARGS ...): another ctest test of an
# existing test executable (e.g. one gtest suite: ARGS --gtest_filter=Suite.*).
# Tests that need a broker find its address in the file named by
# BATON_TEST_BOOTSTRAP_FILE. Two shared brokers per ctest run, each a lane:
# the integration and e2e tiers' (fixture kafka, RESOURCE_LOCK kafka_broker)
# and the fault tier's (fixture kafka_fault, RESOURCE_LOCK kafka_fault_broker;
# chaos restarts it). Tests in one lane run one at a time whatever ctest -j
# says; a parallel run overlaps the lanes with each other and with tests on
# brokers of their own (ThreeBroker: RESOURCE_LOCK kafka_cluster).
function(baton_test)
  cmake_parse_arguments(A "" "NAME;TIER;TIMEOUT;TARGET" "SOURCES;LIBS;ARGS" ${ARGN})
  if(A_TARGET)
    set(exe ${A_TARGET})
  else()
    set(exe ${A_NAME})
    add_executable(${exe} ${A_SOURCES})
    target_link_libraries(${exe} PRIVATE ${A_LIBS} GTest::gtest GTest::gtest_main GTest::gmock
                          Threads::Threads)
    target_include_directories(${exe} PRIVATE ${CMAKE_SOURCE_DIR}/tests/support)
    target_compile_definitions(${exe} PRIVATE BATON_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
                               BATON_BIN_DIR="${CMAKE_RUNTIME_OUTPUT_DIRECTORY}")
    baton_lean_test_flags(${exe})
    if(TARGET baton_test_pch)
      target_precompile_headers(${exe} REUSE_FROM baton_test_pch)
      target_link_libraries(${exe} PRIVATE baton_proto)
    endif()
  endif()
  add_test(NAME ${A_NAME} COMMAND ${exe} ${A_ARGS})
  if(A_NAME MATCHES "^runtime_")  # the runtime's own tests (target baton_runtime_tests)
    set_property(GLOBAL APPEND PROPERTY BATON_RUNTIME_TESTS ${exe})
  endif()
  if(A_TIER STREQUAL "fault" OR A_TIER STREQUAL "e2e")  # target baton_fault_e2e_tests
    set_property(GLOBAL APPEND PROPERTY BATON_FAULT_E2E_TESTS ${exe})
    # scripts/test runs the fault and e2e tiers in the dev build only: the
    # sanitizer builds leave their executables out of "all" (build them
    # with --target baton_fault_e2e_tests to run one there).
    if(NOT A_TARGET AND (BATON_SANITIZE OR BATON_FUZZ))
      set_target_properties(${exe} PROPERTIES EXCLUDE_FROM_ALL TRUE)
    endif()
  endif()
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  set_tests_properties(${A_NAME} PROPERTIES LABELS ${A_TIER} TIMEOUT ${A_TIMEOUT})
  if(NOT A_TIER STREQUAL "unit")
    _baton_broker_props(${A_NAME} ${A_TIER})
  endif()
  baton_sanitized_test(${A_NAME})
endfunction()

# A broker test's lane: its fixture, lock and the bootstrap file it reads.
function(_baton_broker_props name tier)
  if(tier STREQUAL "fault")
    set(fixture kafka_fault)
    set(lock kafka_fault_broker)
    set(dir ${BATON_KAFKA_FAULT_DIR})
  else()
    set(fixture kafka)
    set(lock kafka_broker)
    set(dir ${BATON_KAFKA_DIR})
  endif()
  set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED ${fixture} RESOURCE_LOCK ${lock}
    ENVIRONMENT "BATON_TEST_BOOTSTRAP_FILE=${dir}/bootstrap;BATON_BIN_DIR=${CMAKE_RUNTIME_OUTPUT_DIRECTORY};BATON_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
endfunction()

# A test's own sources in the sanitizer builds: -O0 and no libFuzzer coverage,
# and under ASan+UBSan no instrumentation either (the executables still link
# the sanitizer runtimes). gtest bodies are mostly generated code; at -O1
# with ASan and coverage their backend took most of the ASan build's CPU,
# and instrumenting them took a third of what was left. The code under test
# (the libraries and the services the tests start) keeps its flags, so
# memory errors and UB there are still found, and the services run at -O1.
# Under TSan the tests stay instrumented: their threads share memory with
# the code under test.
function(baton_lean_test_flags target)
  if(BATON_SANITIZE OR BATON_FUZZ)
    target_compile_options(${target} PRIVATE -O0)
  endif()
  if(BATON_SANITIZE)
    target_compile_options(${target} PRIVATE -fno-sanitize=all)
    # What the build is, for tests that allow for it (harness.h BATON_UNDER_ASAN).
    target_compile_definitions(${target} PRIVATE BATON_ASAN_BUILD=1)
  endif()
  if(BATON_FUZZ)
    target_compile_options(${target} PRIVATE -fno-sanitize=fuzzer-no-link)
  endif()
endfunction()

# One precompiled header for every test executable's own sources
# (tests/support/test_pch.h), built once with the same flags and definitions
# as they have and reused by each (REUSE_FROM). BATON_TEST_PCH=OFF turns it
# off. Under ccache, scripts/test sets the sloppiness ccache needs to cache
# compilations that use it; clang does not stamp the PCH with times.
option(BATON_TEST_PCH "Precompile the headers every test parses" ON)
function(baton_test_pch)
  # Clang only (the asan build, where the tests compile at -O0): at GCC's -O2
  # the backend dominates, and a GCC .gch next to the header breaks
  # clang-tidy on a GCC build's compile_commands.json.
  if(NOT BATON_TEST_PCH OR NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    return()
  endif()
  add_library(baton_test_pch STATIC ${CMAKE_SOURCE_DIR}/tests/support/test_pch.cc)
  target_link_libraries(baton_test_pch PRIVATE baton_proto GTest::gtest nlohmann_json::nlohmann_json
                        Threads::Threads)
  target_compile_definitions(baton_test_pch PRIVATE BATON_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
                             BATON_BIN_DIR="${CMAKE_RUNTIME_OUTPUT_DIRECTORY}")
  baton_lean_test_flags(baton_test_pch)
  target_compile_options(baton_test_pch PRIVATE -Xclang -fno-pch-timestamp)
  target_precompile_headers(baton_test_pch PRIVATE ${CMAKE_SOURCE_DIR}/tests/support/test_pch.h)
endfunction()

# baton_script_test(NAME name TIER tier COMMAND ...): a test that is a command.
function(baton_script_test)
  cmake_parse_arguments(A "" "NAME;TIER;TIMEOUT" "COMMAND" ${ARGN})
  add_test(NAME ${A_NAME} COMMAND ${A_COMMAND} WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  set_tests_properties(${A_NAME} PROPERTIES LABELS ${A_TIER} TIMEOUT ${A_TIMEOUT}
    ENVIRONMENT "BATON_BIN_DIR=${CMAKE_RUNTIME_OUTPUT_DIRECTORY};BATON_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
  if(NOT A_TIER STREQUAL "unit")
    _baton_broker_props(${A_NAME} ${A_TIER})
  endif()
  baton_sanitized_test(${A_NAME})
endfunction()

# Sanitizer builds (BATON_SANITIZE: ASan+UBSan; BATON_TSAN). Every test gets
# the sanitizer options in its environment, and the service processes it
# starts inherit them. Every report (of the test binary or of a child
# service) goes to a file in BATON_SANITIZER_LOG_DIR: the fixture
# "sanitizer_reports" empties that folder before the run and fails after it
# if any report is there, printing them, so a finding in a child that the
# test itself did not notice (a leak at exit after SIGTERM, a race in a
# service) still fails ctest. UBSan is fatal (-fno-sanitize-recover plus
# halt_on_error). Suppressions (third-party libraries only) are in
# cmake/sanitizers/. Timeouts are doubled (Debug + instrumentation).
set(BATON_SANITIZER_DIR ${CMAKE_CURRENT_LIST_DIR}/sanitizers)
set(BATON_SANITIZER_LOG_DIR ${CMAKE_BINARY_DIR}/sanitizer-reports)
set(BATON_SANITIZER_ENV "")
if(BATON_SANITIZE)
  set(BATON_SANITIZER_ENV
    "ASAN_OPTIONS=log_path=${BATON_SANITIZER_LOG_DIR}/asan:log_exe_name=1:detect_leaks=1:check_initialization_order=1"
    "UBSAN_OPTIONS=log_path=${BATON_SANITIZER_LOG_DIR}/ubsan:log_exe_name=1:halt_on_error=1:print_stacktrace=1:suppressions=${BATON_SANITIZER_DIR}/ubsan.supp"
    "LSAN_OPTIONS=suppressions=${BATON_SANITIZER_DIR}/lsan.supp:print_suppressions=0")
elseif(BATON_TSAN)
  set(BATON_SANITIZER_ENV
    "TSAN_OPTIONS=log_path=${BATON_SANITIZER_LOG_DIR}/tsan:log_exe_name=1:halt_on_error=1:second_deadlock_stack=1:suppressions=${BATON_SANITIZER_DIR}/tsan.supp:print_suppressions=0")
endif()

function(baton_sanitized_test name)
  if(BATON_SANITIZER_ENV)
    # Deferred to the end of the directory, after any set_tests_properties a
    # CMakeLists applies to the test itself (which would replace these).
    # (EVAL: a deferred call's arguments are expanded when it runs.)
    cmake_language(EVAL CODE "cmake_language(DEFER CALL _baton_sanitizer_props [[${name}]])")
  endif()
endfunction()

function(_baton_sanitizer_props name)
  set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT ${BATON_SANITIZER_ENV})
  set_property(TEST ${name} APPEND PROPERTY FIXTURES_REQUIRED sanitizer_reports)
  get_test_property(${name} TIMEOUT t)
  if(t)
    math(EXPR t "${t} * 2")
    set_tests_properties(${name} PROPERTIES TIMEOUT ${t})
  endif()
endfunction()

function(baton_sanitizer_fixture)
  if(NOT BATON_SANITIZER_ENV)
    return()
  endif()
  add_test(NAME sanitizer_reports_reset
           COMMAND ${CMAKE_COMMAND} -DDIR=${BATON_SANITIZER_LOG_DIR} -DMODE=reset
                   -P ${BATON_SANITIZER_DIR}/reports.cmake)
  add_test(NAME sanitizer_reports_check
           COMMAND ${CMAKE_COMMAND} -DDIR=${BATON_SANITIZER_LOG_DIR} -DMODE=check
                   -P ${BATON_SANITIZER_DIR}/reports.cmake)
  set_tests_properties(sanitizer_reports_reset PROPERTIES FIXTURES_SETUP sanitizer_reports
                       LABELS "unit;integration;fault;e2e" TIMEOUT 60)
  set_tests_properties(sanitizer_reports_check PROPERTIES FIXTURES_CLEANUP sanitizer_reports
                       LABELS "unit;integration;fault;e2e" TIMEOUT 60)
endfunction()
