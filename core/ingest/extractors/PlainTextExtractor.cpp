#include "core/ingest/extractors/PlainTextExtractor.h"

#include "core/ingest/extractors/CharsetDecoder.h"
#include "core/ingest/extractors/DocumentBuilder.h"
#include "core/ingest/extractors/MarkdownStructure.h"

using namespace Qt::StringLiterals;

namespace ragdesk {

QList<TextBlock> PlainTextExtractor::paragraphs(QStringView text)
{
    QList<TextBlock> blocks;
    qsizetype start = -1; // first character of the paragraph being collected
    qsizetype end = 0;    // one past its last non-blank line
    qsizetype pos = 0;
    const auto flushBlock = [&] {
        if (start >= 0) {
            QString paragraph = text.sliced(start, end - start).toString();
            paragraph.remove(u'\r');
            blocks.append(TextBlock{TextBlock::Kind::Paragraph, 0, 0, std::move(paragraph), {}});
        }
        start = -1;
    };
    while (pos <= text.size()) {
        qsizetype eol = text.indexOf(u'\n', pos);
        if (eol < 0)
            eol = text.size();
        QStringView line = text.sliced(pos, eol - pos);
        if (line.trimmed().isEmpty()) {
            flushBlock();
        } else {
            if (start < 0)
                start = pos;
            end = eol;
        }
        pos = eol + 1;
    }
    flushBlock();
    return blocks;
}

ExtractedDocument PlainTextExtractor::extract(const QByteArray &bytes, DocumentFormat format)
{
    CharsetDecoder::Decoded decoded = CharsetDecoder::decode(bytes);
    ExtractedDocument document;
    document.mimeType = mimeTypeFor(format);
    document.charset = std::move(decoded.charset);
    switch (format) {
    case DocumentFormat::Markdown:
        document.blocks = MarkdownStructure::parse(decoded.text, MarkdownStructure::Flavor::Markdown);
        break;
    case DocumentFormat::ReStructuredText:
        document.blocks = MarkdownStructure::parse(decoded.text, MarkdownStructure::Flavor::ReStructuredText);
        break;
    default:
        document.blocks = paragraphs(decoded.text);
        break;
    }
    document.title = DocumentBuilder::firstHeading(document.blocks);
    return document;
}

} // namespace ragdesk
