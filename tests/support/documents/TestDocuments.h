#pragma once

#include "core/ingest/ExtractedDocument.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

/// Writers of real documents for tests, generated at test time into a QTemporaryDir.
/// Content is described with the same TextBlock values the extractors return, so a test can
/// write blocks in one format and compare what comes back. Every writer returns false (and
/// fills @p why when given) instead of asserting, so callers decide between QVERIFY and QSKIP.
namespace ragdesk::testdocs {

/// One PDF page: an optional large heading, then body paragraphs.
struct PdfPage {
    QString heading;
    QStringList paragraphs;
};

/// Page N (1-based) of samplePdfPages(): heading "Chapter N", then pageSentence(N) and filler.
QString pageSentence(int page);
QList<PdfPage> samplePdfPages(int count);

/// Draws @p pages with QPdfWriter + QPainter (headings 20 pt bold, body 11 pt, word-wrapped).
/// Needs a QGuiApplication (run the test with QT_QPA_PLATFORM=offscreen and QTEST_MAIN).
bool writePdf(const QString &path, const QList<PdfPage> &pages, const QString &title = {});
/// Runs `qpdf --encrypt user owner 256 -- in out`; false with @p why when qpdf is missing or fails.
bool encryptPdf(const QString &in, const QString &out, QString *why = nullptr);

/// DOCX with word/document.xml, styles, content types and docProps/core.xml (title).
/// Headings use pStyle HeadingN, list items w:numPr, consecutive TableRows one w:tbl whose
/// first row is the first block's header.
bool writeDocx(const QString &path, const QList<TextBlock> &blocks, const QString &title = {});
/// ODT with content.xml (text:h outline levels, text:list, table:table), meta.xml, manifest.
bool writeOdt(const QString &path, const QList<TextBlock> &blocks, const QString &title = {});
/// EPUB 3: container.xml, OPF (title, manifest, spine in the given order), one XHTML per chapter.
bool writeEpub(const QString &path, const QList<QList<TextBlock>> &chapters, const QString &title = {});

/// An HTML page for @p blocks with <title>, plus a script, style and nav that must be skipped.
QByteArray html(const QList<TextBlock> &blocks, const QString &title = {});
/// RFC 4180 text: fields with the delimiter, quotes or line breaks are quoted.
QByteArray csv(const QList<QStringList> &records, QChar delimiter = u',');
/// @p text in @p charset ("UTF-8", "UTF-16LE", "ISO-8859-1", "Shift_JIS", ...), with a BOM if asked.
QByteArray encode(const QString &text, const QString &charset, bool withBom = false);

/// Writes @p bytes to @p path.
bool writeBytes(const QString &path, const QByteArray &bytes);
/// A zip holding @p entries (name, content) in order, for packages with parts missing or broken;
/// an entry named "mimetype" is stored uncompressed, as EPUB requires.
bool writeZip(const QString &path, const QList<std::pair<QString, QByteArray>> &entries);

// Hostile files.
/// A DOCX whose word/document.xml inflates to @p inflatedBytes of one repeated byte,
/// written by streaming so the generator never holds it in memory.
bool writeZipBombDocx(const QString &path, qint64 inflatedBytes);
/// A DOCX-named zip with @p entries tiny entries (plus a valid document.xml).
bool writeManyEntriesDocx(const QString &path, int entries);
/// The first @p keepFraction of @p source.
bool writeTruncatedCopy(const QString &source, const QString &path, double keepFraction);
/// @p size pseudo-random bytes (fixed seed, so failures reproduce).
bool writeRandomBytes(const QString &path, qint64 size, quint32 seed = 42);
/// One line of @p size ASCII bytes without a newline, streamed.
bool writeSingleLineText(const QString &path, qint64 size);

} // namespace ragdesk::testdocs
