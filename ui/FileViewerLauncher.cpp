#include "ui/FileViewerLauncher.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace ragdesk {

FileViewerLauncher::FileViewerLauncher(FindExecutable findExecutable)
    : m_findExecutable(std::move(findExecutable))
{
    if (!m_findExecutable)
        m_findExecutable = [](const QString &name) { return QStandardPaths::findExecutable(name); };
}

std::optional<FileViewerLauncher::Command> FileViewerLauncher::pageCommand(const QString &path, int page) const
{
    if (page <= 0 || QFileInfo(path).suffix().compare(u"pdf"_s, Qt::CaseInsensitive) != 0)
        return std::nullopt;
    const QString number = QString::number(page);
    // All three count pages from 1, like RetrievalHit::page.
    if (const QString okular = m_findExecutable(u"okular"_s); !okular.isEmpty())
        return Command { okular, { u"--page"_s, number, path } };
    if (const QString evince = m_findExecutable(u"evince"_s); !evince.isEmpty())
        return Command { evince, { u"--page-index=%1"_s.arg(number), path } };
    if (const QString zathura = m_findExecutable(u"zathura"_s); !zathura.isEmpty())
        return Command { zathura, { u"--page=%1"_s.arg(number), path } };
    return std::nullopt;
}

QString FileViewerLauncher::open(const QString &path, int page) const
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("FileViewerLauncher", text); };
    if (!QFileInfo::exists(path)) {
        return tr("Could not open %1: the file is no longer there. If it moved, add its new location to the "
                  "knowledge base.")
            .arg(path);
    }
    if (const auto command = pageCommand(path, page)) {
        // Detached: the viewer outlives the app, and nothing here waits for it.
        if (QProcess::startDetached(command->program, command->arguments))
            return {};
    }
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(path)))
        return tr("Could not open %1: the desktop has no application for this file type.").arg(path);
    return {};
}

} // namespace ragdesk
