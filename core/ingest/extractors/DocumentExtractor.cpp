#include "core/ingest/extractors/DocumentExtractor.h"

#include "core/ingest/DocumentFormat.h"
#include "core/ingest/extractors/CsvExtractor.h"
#include "core/ingest/extractors/DocxExtractor.h"
#include "core/ingest/extractors/EpubExtractor.h"
#include "core/ingest/extractors/ExtractionErrors.h"
#include "core/ingest/extractors/HtmlExtractor.h"
#include "core/ingest/extractors/OdtExtractor.h"
#include "core/ingest/extractors/PdfExtractor.h"
#include "core/ingest/extractors/PlainTextExtractor.h"
#include "core/ingest/extractors/SourceCodeExtractor.h"
#include "core/ingest/extractors/TextBudget.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

// PDF readers accept the header anywhere in the first kilobyte (some files start with junk).
constexpr qint64 PdfHeaderWindow = 1024;

bool isZipPackage(DocumentFormat format)
{
    return format == DocumentFormat::Docx || format == DocumentFormat::Odt || format == DocumentFormat::Epub;
}

/// A clearer reason than the parser's when the first bytes already tell the file is misnamed.
std::optional<Error> checkMagic(QFile &file, const QString &path, DocumentFormat format)
{
    const QByteArray head = file.peek(PdfHeaderWindow);
    if (format == DocumentFormat::Pdf && !head.contains("%PDF-")) {
        return ExtractionErrors::notWhatItClaims(path, documentFormatName(format),
                                                 u"it does not start with the %PDF- header"_s);
    }
    if (isZipPackage(format) && !head.startsWith("PK\x03\x04")) {
        return ExtractionErrors::notWhatItClaims(path, documentFormatName(format),
                                                 u"it is not a zip package, which every %1 file is"_s.arg(
                                                     documentFormatName(format)));
    }
    return std::nullopt;
}

Result<ExtractedDocument> extractText(QFile &file, const QString &path, DocumentFormat format,
                                      const ExtractionLimits &limits)
{
    // No charset needs more than four bytes per character, so this refuses before decoding.
    if (file.size() > 4 * limits.maxTextChars)
        return std::unexpected(ExtractionErrors::textLimitExceeded(path, limits.maxTextChars));
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return std::unexpected(ExtractionErrors::unreadable(path, file.errorString()));
    file.close();
    switch (format) {
    case DocumentFormat::SourceCode:
        return SourceCodeExtractor::extract(bytes, path);
    case DocumentFormat::Html:
        return HtmlExtractor::extract(bytes);
    case DocumentFormat::Csv:
    case DocumentFormat::Tsv:
        return CsvExtractor::extract(bytes, format);
    default:
        return PlainTextExtractor::extract(bytes, format);
    }
}

} // namespace

Result<ExtractedDocument> DocumentExtractor::extract(const QString &path, const ExtractionLimits &limits)
{
    const DocumentFormat format = documentFormatForPath(path);
    if (QFileInfo(path).isDir())
        return std::unexpected(ExtractionErrors::unreadable(path, u"it is a folder, not a file"_s));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::unexpected(ExtractionErrors::unreadable(path, file.errorString()));
    if (file.size() > limits.maxFileBytes)
        return std::unexpected(ExtractionErrors::fileTooLarge(path, file.size(), limits.maxFileBytes));
    if (format == DocumentFormat::Unsupported) {
        const QString suffix = QFileInfo(path).suffix();
        return fail(Error::Kind::Unsupported,
                    u"%1 was not indexed: ragdesk cannot read %2 files. Convert it to PDF, text or HTML to include it."_s
                        .arg(QDir::toNativeSeparators(path),
                             suffix.isEmpty() ? u"extensionless"_s : u"." + suffix.toLower()),
                    u"unsupported extension"_s);
    }
    if (std::optional<Error> misnamed = checkMagic(file, path, format))
        return std::unexpected(std::move(*misnamed));

    Result<ExtractedDocument> document;
    switch (format) {
    case DocumentFormat::Pdf:
        file.close();
        document = PdfExtractor::extract(path, limits);
        break;
    case DocumentFormat::Docx:
        file.close();
        document = DocxExtractor::extract(path, limits);
        break;
    case DocumentFormat::Odt:
        file.close();
        document = OdtExtractor::extract(path, limits);
        break;
    case DocumentFormat::Epub:
        file.close();
        document = EpubExtractor::extract(path, limits);
        break;
    default:
        document = extractText(file, path, format, limits);
        break;
    }
    if (!document)
        return document;
    // The per-format checks stop early where text grows page by page; this one covers the rest.
    if (!TextBudget(limits.maxTextChars).admit(document->blocks))
        return std::unexpected(ExtractionErrors::textLimitExceeded(path, limits.maxTextChars));
    return document;
}

} // namespace ragdesk
