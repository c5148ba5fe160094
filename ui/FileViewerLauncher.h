#pragma once

#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace ragdesk {

/// Opens a document in the user's own viewer. PDFs with a page go to a viewer on PATH that takes
/// a page argument (okular, evince, zathura), started detached; everything else, and PDFs when
/// no such viewer exists, goes through the desktop's default handler (QDesktopServices).
class FileViewerLauncher
{
public:
    struct Command {
        QString program;
        QStringList arguments;
    };
    /// Resolves a program name to its path on PATH, empty when absent (QStandardPaths by default).
    using FindExecutable = std::function<QString(const QString &name)>;

    explicit FileViewerLauncher(FindExecutable findExecutable = {});

    /// The page-aware viewer command for @p path at 1-based @p page, if one applies. Pure.
    [[nodiscard]] std::optional<Command> pageCommand(const QString &path, int page) const;

    /// Opens @p path (at @p page where possible). Returns an error sentence for people, empty on success.
    [[nodiscard]] QString open(const QString &path, int page) const;

private:
    FindExecutable m_findExecutable;
};

} // namespace ragdesk
