#include "core/ingest/extractors/PdfExtractor.h"

#include "core/ingest/DocumentFormat.h"
#include "core/ingest/extractors/DocumentBuilder.h"
#include "core/ingest/extractors/ExtractionErrors.h"
#include "core/ingest/extractors/TextBudget.h"

#include <QDir>
#include <QLoggingCategory>

#include <poppler-qt6.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

Q_LOGGING_CATEGORY(lcPdf, "ragdesk.extractors.pdf", QtWarningMsg)

// Poppler reports every repaired xref and bad token through qDebug by default; hostile files
// would flood the extractor's log, so its messages go to a category that is off unless asked for.
void routePopplerMessages()
{
    static const bool routed = [] {
        Poppler::setDebugErrorFunction([](const QString &message, const QVariant &) { qCDebug(lcPdf) << message; },
                                       QVariant());
        return true;
    }();
    Q_UNUSED(routed);
}

struct Line {
    QString text;
    qreal top = 0;
    qreal bottom = 0;
    qreal height() const { return bottom - top; }
};

/// Joins poppler's words into lines: words of one line are chained through nextWord().
QList<Line> pageLines(const Poppler::Page &page)
{
    QList<Line> lines;
    const std::vector<std::unique_ptr<Poppler::TextBox>> words = page.textList();
    const Poppler::TextBox *previous = nullptr;
    for (const std::unique_ptr<Poppler::TextBox> &word : words) {
        const QRectF box = word->boundingBox();
        if (previous && previous->nextWord() == word.get()) {
            Line &line = lines.last();
            if (previous->hasSpaceAfter())
                line.text += u' ';
            line.text += word->text();
            line.top = qMin(line.top, box.top());
            line.bottom = qMax(line.bottom, box.bottom());
        } else {
            lines.append(Line{word->text(), box.top(), box.bottom()});
        }
        previous = word.get();
    }
    return lines;
}

/// Groups lines into blocks: a new block where the gap above a line exceeds half a line,
/// where the text moves up (next column), or where the line height changes sharply.
void appendPageBlocks(const QList<Line> &lines, int pageNumber, QList<TextBlock> &blocks)
{
    if (lines.isEmpty())
        return;
    // Body text is the height most characters are set in (a character-weighted median):
    // a page with one heading and one short paragraph still tells them apart.
    QList<std::pair<qreal, qsizetype>> heights;
    heights.reserve(lines.size());
    qsizetype totalChars = 0;
    for (const Line &line : lines) {
        heights.append({line.height(), line.text.size()});
        totalChars += line.text.size();
    }
    std::sort(heights.begin(), heights.end());
    qreal bodyHeight = heights.constLast().first;
    qsizetype seen = 0;
    for (const auto &[height, chars] : std::as_const(heights)) {
        seen += chars;
        if (2 * seen >= totalChars) {
            bodyHeight = height;
            break;
        }
    }
    bodyHeight = qMax<qreal>(bodyHeight, 0.1);

    const auto levelFor = [bodyHeight](const Line &line) {
        const qreal ratio = line.height() / bodyHeight;
        return ratio >= 1.6 ? 1 : (ratio >= 1.25 ? 2 : 0);
    };

    QString text;
    int level = 0;
    const Line *previous = nullptr;
    const auto finish = [&] {
        text = text.trimmed();
        if (!text.isEmpty()) {
            // Large type longer than a few lines is a pull quote or a title page, not a heading.
            const bool heading = level > 0 && text.size() <= 200;
            blocks.append(TextBlock{heading ? TextBlock::Kind::Heading : TextBlock::Kind::Paragraph,
                                    heading ? level : 0, pageNumber, heading ? text.simplified() : text, {}});
        }
        text.clear();
    };
    for (const Line &line : lines) {
        const int lineLevel = levelFor(line);
        if (previous) {
            const qreal gap = line.top - previous->bottom;
            const bool breaks = gap > 0.5 * qMax(previous->height(), line.height()) || line.bottom < previous->top
                                || lineLevel != level;
            if (breaks)
                finish();
            else
                text += u'\n';
        }
        if (text.isEmpty())
            level = lineLevel;
        text += line.text;
        previous = &line;
    }
    finish();
}

} // namespace

Result<ExtractedDocument> PdfExtractor::extract(const QString &path, const ExtractionLimits &limits)
{
    routePopplerMessages();
    const QString shownPath = QDir::toNativeSeparators(path);
    const std::unique_ptr<Poppler::Document> pdf = Poppler::Document::load(path);
    if (!pdf) {
        return fail(Error::Kind::Extraction,
                    u"%1 could not be read as a PDF: it is damaged, truncated or not a PDF at all. "
                    "Open it in a PDF viewer; if it opens there, print it to a new PDF and add that."_s.arg(shownPath),
                    u"Poppler::Document::load failed"_s);
    }
    if (pdf->isLocked()) {
        return fail(Error::Kind::Extraction,
                    u"This PDF is password-protected: %1. ragdesk cannot read encrypted documents; save an "
                    "unprotected copy and add that instead."_s.arg(shownPath),
                    u"isLocked"_s);
    }
    const int pageCount = pdf->numPages();
    if (pageCount <= 0) {
        return fail(Error::Kind::Extraction,
                    u"%1 could not be read as a PDF: it has no pages, so it is probably truncated or damaged."_s.arg(
                        shownPath),
                    u"numPages = %1"_s.arg(pageCount));
    }

    ExtractedDocument document;
    document.mimeType = mimeTypeFor(DocumentFormat::Pdf);
    document.pageCount = pageCount;
    document.title = pdf->info(u"Title"_s).simplified();
    TextBudget budget(limits.maxTextChars);
    for (int index = 0; index < pageCount; ++index) {
        const std::unique_ptr<Poppler::Page> page = pdf->page(index);
        if (!page)
            continue; // one broken page object costs that page, not the document
        appendPageBlocks(pageLines(*page), index + 1, document.blocks);
        if (!budget.admit(document.blocks))
            return std::unexpected(ExtractionErrors::textLimitExceeded(path, limits.maxTextChars));
    }
    if (document.title.isEmpty())
        document.title = DocumentBuilder::firstHeading(document.blocks);
    return document;
}

} // namespace ragdesk
