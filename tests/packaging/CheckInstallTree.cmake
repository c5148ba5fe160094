# `cmake --install` into ROOT/usr installs exactly EXPECTED (paths relative to the prefix), and the
# installed ragdesk-cli starts and reports VERSION.
string(REPLACE "|" ";" EXPECTED "${EXPECTED}")
file(REMOVE_RECURSE "${ROOT}")
set(prefix "${ROOT}/usr")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}"
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cmake --install failed (${rc}):\n${out}\n${err}")
endif()

file(GLOB_RECURSE installed LIST_DIRECTORIES false RELATIVE "${prefix}" "${prefix}/*")
list(SORT installed)
list(SORT EXPECTED)
set(missing ${EXPECTED})
list(REMOVE_ITEM missing ${installed})
set(unexpected ${installed})
list(REMOVE_ITEM unexpected ${EXPECTED})
if(missing OR unexpected)
    list(JOIN missing "\n  " missing_text)
    list(JOIN unexpected "\n  " unexpected_text)
    message(FATAL_ERROR "install tree differs from the expected one\nmissing:\n  ${missing_text}\n"
        "not expected (test binaries, the fake server or a new file to add to tests/packaging):\n  ${unexpected_text}")
endif()

execute_process(COMMAND "${prefix}/bin/ragdesk-cli" --version OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^ragdesk ${VERSION} ")
    message(FATAL_ERROR "installed ragdesk-cli --version failed (${rc}): ${out}")
endif()
list(LENGTH installed count)
message(STATUS "installed ${count} files, as expected")
