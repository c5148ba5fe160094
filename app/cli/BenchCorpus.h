#pragma once

#include "core/foundation/Error.h"

#include <QStringList>

namespace ragdesk::cli {

/// The generated document set of `bench-ingest`: Markdown notes with headings, lists and code,
/// plain-text files, and multi-page PDFs with real text (QPdfWriter), all from a fixed seed so
/// runs are comparable. PDFs need a QGuiApplication.
class BenchCorpus
{
public:
    struct Shape {
        int files = 300;   ///< total; 45% Markdown, 45% text, 10% PDF (at least one of each)
        int pdfPages = 20; ///< pages per PDF
    };
    struct Summary {
        int markdown = 0;
        int text = 0;
        int pdfs = 0;
        int pdfPages = 0;
        qint64 bytes = 0;
        QStringList pdfPaths;
    };

    static Result<Summary> write(const QString &folder, Shape shape);

    BenchCorpus() = delete;
};

} // namespace ragdesk::cli
