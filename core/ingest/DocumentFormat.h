#pragma once

#include <QString>

namespace ragdesk {

/// The file formats ragdesk can index, decided from a file name alone.
enum class DocumentFormat {
    PlainText,
    Markdown,
    ReStructuredText,
    SourceCode,
    Html,
    Pdf,
    Docx,
    Odt,
    Epub,
    Csv,
    Tsv,
    Unsupported,
};

/// Classifies @p path by its extension (case-insensitive). Pure and cheap: the app calls it for
/// every file of a watched folder to decide what is worth queuing, so it never opens the file.
DocumentFormat documentFormatForPath(const QString &path);

/// A short name for people and logs, e.g. "PDF", "Markdown".
QString documentFormatName(DocumentFormat format);

/// The MIME type stored with an extracted document, e.g. "application/pdf".
QString mimeTypeFor(DocumentFormat format);

} // namespace ragdesk
