# The sanitizer_reports ctest fixture (see cmake/BatonTest.cmake).
#   cmake -DDIR=<folder> -DMODE=reset -P reports.cmake   empty the folder
#   cmake -DDIR=<folder> -DMODE=check -P reports.cmake   fail, printing every
#       report, if any sanitizer (of a test or of a service it started) wrote one
if(MODE STREQUAL "reset")
  file(REMOVE_RECURSE ${DIR})
  file(MAKE_DIRECTORY ${DIR})
  return()
endif()
file(GLOB reports ${DIR}/*)
if(NOT reports)
  message(STATUS "no sanitizer reports in ${DIR}")
  return()
endif()
list(LENGTH reports n)
foreach(r ${reports})
  file(READ ${r} text)
  message("==== ${r}\n${text}")
endforeach()
message(FATAL_ERROR "${n} sanitizer report(s) in ${DIR} (printed above)")
