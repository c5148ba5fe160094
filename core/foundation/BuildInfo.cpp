#include "core/foundation/BuildInfo.h"

#include <QtGlobal>

using namespace Qt::StringLiterals;

// Both come from CMake's find_package() results (core/foundation/CMakeLists.txt). QCoro 0.12 ships
// no version header, and reading KSyntaxHighlighting's would make the core include a KF6 header.
#ifndef RAGDESK_QCORO_VERSION
#error "RAGDESK_QCORO_VERSION must be defined by the build"
#endif
#ifndef RAGDESK_KSYNTAXHIGHLIGHTING_VERSION
#error "RAGDESK_KSYNTAXHIGHLIGHTING_VERSION must be defined by the build"
#endif

namespace ragdesk::BuildInfo {

QString version()
{
    return QStringLiteral(RAGDESK_VERSION);
}

QString libraryVersions()
{
    return u"Qt %1, QCoro %2, KSyntaxHighlighting %3"_s.arg(
        QString::fromLatin1(qVersion()), QStringLiteral(RAGDESK_QCORO_VERSION),
        QStringLiteral(RAGDESK_KSYNTAXHIGHLIGHTING_VERSION));
}

QString versionLine()
{
    return u"ragdesk %1 (%2)"_s.arg(version(), libraryVersions());
}

} // namespace ragdesk::BuildInfo
