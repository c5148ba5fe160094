# Target-scoped build policy: link these INTERFACE libraries instead of setting global flags,
# so third-party code and generated moc files are not held to our warning level.

add_library(ragdesk_warnings INTERFACE)
target_compile_options(ragdesk_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wold-style-cast -Wnon-virtual-dtor
    -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
if(RAGDESK_WERROR)
    target_compile_options(ragdesk_warnings INTERFACE -Werror)
endif()

add_library(ragdesk_qt_defines INTERFACE)
target_compile_definitions(ragdesk_qt_defines INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_KEYWORDS
    QT_NO_FOREACH
    QT_USE_QSTRINGBUILDER
    QT_STRICT_ITERATORS
    QT_DISABLE_DEPRECATED_UP_TO=0x060800)
if(RAGDESK_SQL_THREAD_CHECKS)
    target_compile_definitions(ragdesk_qt_defines INTERFACE RAGDESK_SQL_THREAD_CHECKS=1)
endif()

# One call per module target: static library, our policy, Qt's coroutine flags.
function(ragdesk_add_module name)
    add_library(${name} STATIC)
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${name} PRIVATE ragdesk_warnings PUBLIC ragdesk_qt_defines)
endfunction()

# The one version source: project(VERSION) above, handed to code that prints it.
target_compile_definitions(ragdesk_qt_defines INTERFACE RAGDESK_VERSION="${PROJECT_VERSION}")
