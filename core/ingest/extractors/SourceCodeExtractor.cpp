#include "core/ingest/extractors/SourceCodeExtractor.h"

#include "core/ingest/DocumentFormat.h"
#include "core/ingest/extractors/CharsetDecoder.h"

#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

// Loading the definitions reads hundreds of XML files, so it happens once per extractor
// process, on first use; definitionForFileName is a const lookup afterwards.
const KSyntaxHighlighting::Repository &repository()
{
    static const KSyntaxHighlighting::Repository instance;
    return instance;
}

} // namespace

QString SourceCodeExtractor::languageForPath(const QString &path)
{
    const KSyntaxHighlighting::Definition definition = repository().definitionForFileName(path);
    return definition.isValid() ? definition.name() : QString();
}

ExtractedDocument SourceCodeExtractor::extract(const QByteArray &bytes, const QString &path)
{
    CharsetDecoder::Decoded decoded = CharsetDecoder::decode(bytes);
    ExtractedDocument document;
    document.mimeType = mimeTypeFor(DocumentFormat::SourceCode);
    document.charset = std::move(decoded.charset);
    document.codeLanguage = languageForPath(path);

    const QStringView text = decoded.text;
    QStringList lines;
    const auto flushBlock = [&] {
        while (!lines.isEmpty() && lines.constLast().trimmed().isEmpty())
            lines.removeLast();
        if (!lines.isEmpty())
            document.blocks.append(TextBlock{TextBlock::Kind::Code, 0, 0, lines.join(u'\n'), {}});
        lines.clear();
    };
    for (QStringView line : text.tokenize(u'\n')) {
        if (line.endsWith(u'\r'))
            line.chop(1);
        if (line.trimmed().isEmpty()) {
            flushBlock();
            continue;
        }
        lines.append(line.toString());
        if (lines.size() >= MaxLinesPerBlock)
            flushBlock();
    }
    flushBlock();
    return document;
}

} // namespace ragdesk
