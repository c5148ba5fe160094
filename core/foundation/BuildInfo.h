#pragma once

#include <QString>

/// What this build is: the project version and the libraries it runs on, for --version and About.
/// The project version comes from project(VERSION) in the top-level CMakeLists.txt, nowhere else.
namespace ragdesk::BuildInfo {

/// "0.1.0"
[[nodiscard]] QString version();

/// "Qt 6.8.2, QCoro 0.12.0, KSyntaxHighlighting 6.13.0". Qt is the library loaded at run time;
/// QCoro and KSyntaxHighlighting are the versions built against (neither offers a run-time call).
[[nodiscard]] QString libraryVersions();

/// "ragdesk 0.1.0 (Qt 6.8.2, QCoro 0.12.0, KSyntaxHighlighting 6.13.0)": what --version prints.
[[nodiscard]] QString versionLine();

} // namespace ragdesk::BuildInfo
