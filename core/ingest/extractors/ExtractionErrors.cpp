#include "core/ingest/extractors/ExtractionErrors.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {

QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1) + u" MB"_s;
}

} // namespace

Error ExtractionErrors::fileTooLarge(const QString &path, qint64 size, qint64 limit)
{
    return Error{Error::Kind::File,
                 u"%1 was not indexed: it is %2, larger than the %3 limit for one document. Split it, or raise the "
                 "file-size limit."_s.arg(QDir::toNativeSeparators(path), megabytes(size), megabytes(limit)),
                 u"size %1 > maxFileBytes %2"_s.arg(size).arg(limit), 0};
}

Error ExtractionErrors::unreadable(const QString &path, const QString &reason)
{
    return Error{Error::Kind::File,
                 u"Could not open %1: %2. Check that the file still exists and that you may read it."_s.arg(
                     QDir::toNativeSeparators(path), reason),
                 reason, 0};
}

Error ExtractionErrors::textLimitExceeded(const QString &path, qint64 limit)
{
    return Error{Error::Kind::Extraction,
                 u"%1 was not indexed: it holds more than %2 million characters of text, the limit for one document. "
                 "Split it, or raise the text limit."_s.arg(QDir::toNativeSeparators(path))
                     .arg(double(limit) / 1e6, 0, 'f', 1),
                 u"text > %1 chars"_s.arg(limit), 0};
}

Error ExtractionErrors::notWhatItClaims(const QString &path, const QString &formatName, const QString &why)
{
    return Error{Error::Kind::Extraction,
                 u"%1 could not be read as a %2: %3. It may be damaged or misnamed; open it in its application "
                 "to check."_s.arg(QDir::toNativeSeparators(path), formatName, why),
                 why, 0};
}

} // namespace ragdesk
