#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace ragdesk {

/// One entry of the search tabs' file-type filter: a label and the suffixes it stands for.
struct FileTypeGroup {
    QString label;
    QStringList suffixes; ///< lower-case, without the dot, as RetrievalOptions::fileSuffixes wants
};

/// The fixed groups the filter offers (PDF, Word/ODT, Markdown/Text, HTML, EPUB, Code, Tables),
/// drawn from the formats DocumentFormat recognises.
QList<FileTypeGroup> fileTypeGroups();

} // namespace ragdesk
