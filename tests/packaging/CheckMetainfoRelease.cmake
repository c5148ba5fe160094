# The newest <release> in the metainfo must be the version set in project(VERSION).
file(READ "${METAINFO}" xml)
if(NOT xml MATCHES "<release[ \t\n]+version=\"([^\"]+)\"")
    message(FATAL_ERROR "${METAINFO} has no <release version=...> entry")
endif()
if(NOT CMAKE_MATCH_1 STREQUAL VERSION)
    message(FATAL_ERROR "newest release in ${METAINFO} is ${CMAKE_MATCH_1}, project version is ${VERSION}; "
        "add a <release> entry for ${VERSION} at the top of <releases>")
endif()
