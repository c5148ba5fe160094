# Linux packages through CPack: a .deb, a .tar.gz and, when rpmbuild is installed, an .rpm of what
# the install rules put under the prefix. `./dev package` builds the release preset and runs cpack
# in build/release; `./dev package-test` installs the .deb into a clean Debian 13 root and runs it.
#
# Every field comes from project() (name, version, description, homepage) so the packages cannot
# disagree with `ragdesk --version`, the man page or the metainfo.

set(CPACK_PACKAGE_NAME ${PROJECT_NAME})
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The ragdesk developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# The long description of the .deb and the .rpm: lines of at most 79 characters, as Debian wants.
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
    "ragdesk is a desktop app for chatting with your own documents using the"
    "language model you choose: any OpenAI-compatible server, local (Ollama,"
    "llama.cpp, LM Studio, vLLM) or in the cloud. Conversations are kept in a"
    "local SQLite profile and several chats stream at once in tabs; database"
    "work and streaming never block the window."
    ""
    "The package also contains ragdesk-cli, a command-line companion for"
    "listing a server's models and benchmarking chat streaming.")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(RAGDESK_PACKAGE_MAINTAINER "The ragdesk developers <maintainers@ragdesk.invalid>"
    CACHE STRING "Maintainer field of the Linux packages")
set(CPACK_PACKAGE_CONTACT "${RAGDESK_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY ${PROJECT_NAME})
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
set(CPACK_STRIP_FILES ON)
# Packages hold what users get and nothing else; ctest and the fake LLM server have no install rule.
set(CPACK_SOURCE_IGNORE_FILES "/build/;/\\\\.git/")

if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    # The .deb and .rpm install under /usr (their default prefix). The tarball holds the prefix's
    # contents (bin/, share/) in one top directory, to unpack into ~/.local, /usr/local or /opt.
    set(CPACK_GENERATOR DEB TGZ)
    # (CPACK_ARCHIVE_FILE_NAME is ignored without components in CMake 3.31; DEB and RPM name
    # their files themselves below.)
    set(CPACK_PACKAGE_FILE_NAME ${PROJECT_NAME}-${PROJECT_VERSION}-linux-${CMAKE_SYSTEM_PROCESSOR})

    # .deb: library dependencies are computed by dpkg-shlibdeps from the binaries. It cannot see
    # what Qt loads with dlopen() at run time, so those packages are listed by hand:
    #   qt6-qpa-plugins    Qt platform plugins (the GUI cannot open a window without one; in
    #                      Debian 13 the xcb plugin ships in libqt6gui6, the others here)
    #   libqt6sql6-sqlite  the QSQLITE driver; every profile is an SQLite database
    #   libsecret-1-0      QtKeychain dlopen()s it to reach the Secret Service (API keys)
    # `./dev package-test` checks that every plugin the running GUI loaded comes from a package
    # named in Depends, so a new runtime plugin fails there until it is listed here.
    set(CPACK_DEBIAN_PACKAGE_NAME ${PROJECT_NAME})
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins, libqt6sql6-sqlite, libsecret-1-0")
    # Native Wayland windows and TLS certificates for cloud providers; both work without them
    # (XWayland, plain-http local servers), so they are recommendations.
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland, ca-certificates")
    set(CPACK_DEBIAN_PACKAGE_SECTION utils)
    set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
    set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${RAGDESK_PACKAGE_MAINTAINER}")
    set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")

    # .rpm: rpmbuild's own dependency generator finds the libraries; the plugins get their
    # Fedora names. Built only where rpmbuild exists (the build root installs Debian's rpm).
    find_program(RAGDESK_RPMBUILD rpmbuild)
    if(RAGDESK_RPMBUILD)
        list(APPEND CPACK_GENERATOR RPM)
        set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
        set(CPACK_RPM_PACKAGE_GROUP "Applications/Productivity")
        set(CPACK_RPM_PACKAGE_URL "${PROJECT_HOMEPAGE_URL}")
        set(CPACK_RPM_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
        set(CPACK_RPM_PACKAGE_AUTOREQPROV ON)
        set(CPACK_RPM_PACKAGE_REQUIRES "qt6-qtbase-gui")
        # The directories the package installs into belong to the filesystem package.
        set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
            /usr/share/applications /usr/share/metainfo /usr/share/icons /usr/share/icons/hicolor
            /usr/share/man /usr/share/man/man1)
    endif()
endif()

include(CPack)
