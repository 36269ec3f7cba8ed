# Compile flags of the fuzz build (BATON_FUZZ=ON): every library gets
# libFuzzer's coverage instrumentation plus ASan+UBSan, so the targets in
# fuzz/ see (and crash on) memory errors and undefined behaviour anywhere in
# the decode -> validate -> domain path. Clang only.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "BATON_FUZZ=ON needs clang: -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                    -fno-omit-frame-pointer -gline-tables-only)
add_link_options(-fsanitize=address,undefined)
