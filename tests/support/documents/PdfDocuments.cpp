#include "tests/support/documents/TestDocuments.h"

#include <QFile>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QProcess>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace ragdesk::testdocs {

QString pageSentence(int page)
{
    return u"Page %1 says: the café in Zürich serves crème brûlée number %1."_s.arg(page);
}

QList<PdfPage> samplePdfPages(int count)
{
    // Enough running text for a realistic page (about 300 words), so timings mean something.
    const QString filler =
        u"Retrieval works best when every chunk keeps its page, so a citation can point the reader to the "
        "exact place in the source. This filler paragraph is long enough to wrap across several lines of the "
        "page, which exercises the line and paragraph grouping of the extractor, and it repeats a few words "
        "about indexing, ranking and answering questions over private documents."_s;
    QList<PdfPage> pages;
    pages.reserve(count);
    for (int page = 1; page <= count; ++page)
        pages.append(PdfPage{u"Chapter %1"_s.arg(page), {pageSentence(page), filler, filler, filler}});
    return pages;
}

bool writePdf(const QString &path, const QList<PdfPage> &pages, const QString &title)
{
    QPdfWriter writer(path);
    writer.setTitle(title);
    writer.setCreator(u"ragdesk tests"_s);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setResolution(72); // one device unit per point keeps the layout arithmetic readable
    QPainter painter;
    if (!painter.begin(&writer))
        return false;
    QFont headingFont(u"DejaVu Sans"_s);
    headingFont.setPointSizeF(20);
    headingFont.setBold(true);
    QFont bodyFont(u"DejaVu Sans"_s);
    bodyFont.setPointSizeF(11);
    const QRectF area = QRectF(QPointF(0, 0), QSizeF(writer.width(), writer.height())).adjusted(20, 20, -20, -20);
    for (qsizetype index = 0; index < pages.size(); ++index) {
        if (index > 0 && !writer.newPage())
            return false;
        const PdfPage &page = pages.at(index);
        qreal y = area.top();
        if (!page.heading.isEmpty()) {
            painter.setFont(headingFont);
            QRectF used;
            painter.drawText(QRectF(area.left(), y, area.width(), area.height()), Qt::TextWordWrap, page.heading, &used);
            y += used.height() + 18;
        }
        painter.setFont(bodyFont);
        for (const QString &paragraph : page.paragraphs) {
            QRectF used;
            painter.drawText(QRectF(area.left(), y, area.width(), area.bottom() - y), Qt::TextWordWrap, paragraph,
                             &used);
            y += used.height() + 14; // a blank line's worth of gap ends the paragraph
        }
    }
    return painter.end();
}

bool encryptPdf(const QString &in, const QString &out, QString *why)
{
    const QString qpdf = QStandardPaths::findExecutable(u"qpdf"_s);
    if (qpdf.isEmpty()) {
        if (why)
            *why = u"qpdf is not installed"_s;
        return false;
    }
    QProcess process;
    process.start(qpdf, {u"--encrypt"_s, u"user"_s, u"owner"_s, u"256"_s, u"--"_s, in, out});
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        if (why)
            *why = u"qpdf failed: "_s + QString::fromUtf8(process.readAllStandardError());
        return false;
    }
    return QFile::exists(out);
}

} // namespace ragdesk::testdocs
