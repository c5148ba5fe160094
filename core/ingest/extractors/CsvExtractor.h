#pragma once

#include "core/ingest/DocumentFormat.h"
#include "core/ingest/ExtractedDocument.h"

#include <QByteArray>

namespace ragdesk {

/// CSV and TSV: RFC 4180 records (quoted fields, doubled quotes, line breaks inside quotes),
/// one TableRow per record after the first, which becomes every row's header.
class CsvExtractor
{
public:
    /// @p format is Csv or Tsv.
    static ExtractedDocument extract(const QByteArray &bytes, DocumentFormat format);

    /// The delimiter for @p text: tab for TSV; for CSV a comma, or a semicolon when the first
    /// record has more of them (the export default of locales with a decimal comma).
    static QChar delimiterFor(QStringView text, DocumentFormat format);

    /// Splits @p text into records of fields.
    static QList<QStringList> parse(QStringView text, QChar delimiter);
};

} // namespace ragdesk
