# Test helpers: every test is labelled with its tier.
include(GoogleTest)

# baton_test(NAME name TIER unit|integration|fault|e2e SOURCES ... LIBS ... [TIMEOUT s])
# Integration tiers require the "kafka" fixture (one broker per ctest run)
# and find its address in the file named by BATON_TEST_BOOTSTRAP_FILE.
function(baton_test)
  cmake_parse_arguments(A "" "NAME;TIER;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  add_executable(${A_NAME} ${A_SOURCES})
  target_link_libraries(${A_NAME} PRIVATE ${A_LIBS} GTest::gtest GTest::gtest_main GTest::gmock
                        Threads::Threads)
  target_include_directories(${A_NAME} PRIVATE ${CMAKE_SOURCE_DIR}/tests/support)
  target_compile_definitions(${A_NAME} PRIVATE BATON_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
                             BATON_BIN_DIR="${CMAKE_RUNTIME_OUTPUT_DIRECTORY}")
  add_test(NAME ${A_NAME} COMMAND ${A_NAME})
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  set_tests_properties(${A_NAME} PROPERTIES LABELS ${A_TIER} TIMEOUT ${A_TIMEOUT})
  if(NOT A_TIER STREQUAL "unit")
    set_tests_properties(${A_NAME} PROPERTIES FIXTURES_REQUIRED kafka
      ENVIRONMENT "BATON_TEST_BOOTSTRAP_FILE=${BATON_KAFKA_DIR}/bootstrap;BATON_BIN_DIR=${CMAKE_RUNTIME_OUTPUT_DIRECTORY};BATON_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
  endif()
endfunction()

# baton_script_test(NAME name TIER tier COMMAND ...): a test that is a command.
function(baton_script_test)
  cmake_parse_arguments(A "" "NAME;TIER;TIMEOUT" "COMMAND" ${ARGN})
  add_test(NAME ${A_NAME} COMMAND ${A_COMMAND} WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 300)
  endif()
  set_tests_properties(${A_NAME} PROPERTIES LABELS ${A_TIER} TIMEOUT ${A_TIMEOUT}
    ENVIRONMENT "BATON_TEST_BOOTSTRAP_FILE=${BATON_KAFKA_DIR}/bootstrap;BATON_BIN_DIR=${CMAKE_RUNTIME_OUTPUT_DIRECTORY};BATON_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
  if(NOT A_TIER STREQUAL "unit")
    set_tests_properties(${A_NAME} PROPERTIES FIXTURES_REQUIRED kafka)
  endif()
endfunction()
