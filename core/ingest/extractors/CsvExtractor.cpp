#include "core/ingest/extractors/CsvExtractor.h"

#include "core/ingest/extractors/CharsetDecoder.h"

using namespace Qt::StringLiterals;

namespace ragdesk {

QChar CsvExtractor::delimiterFor(QStringView text, DocumentFormat format)
{
    if (format == DocumentFormat::Tsv)
        return u'\t';
    qsizetype commas = 0;
    qsizetype semicolons = 0;
    bool quoted = false;
    for (const QChar c : text) {
        if (c == u'"')
            quoted = !quoted;
        else if (!quoted && c == u',')
            ++commas;
        else if (!quoted && c == u';')
            ++semicolons;
        else if (!quoted && c == u'\n')
            break;
    }
    return semicolons > commas ? u';' : u',';
}

QList<QStringList> CsvExtractor::parse(QStringView text, QChar delimiter)
{
    QList<QStringList> records;
    QStringList record;
    QString field;
    bool quoted = false;
    bool fieldStarted = false;
    const auto endField = [&] {
        record.append(std::exchange(field, QString()));
        fieldStarted = false;
    };
    const auto endRecord = [&] {
        endField();
        // A blank line is no record; a line of empty fields ("a,,") still is.
        if (!(record.size() == 1 && record.constFirst().isEmpty()))
            records.append(record);
        record.clear();
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == u'"') {
                if (i + 1 < text.size() && text[i + 1] == u'"') {
                    field += u'"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == u'"' && !fieldStarted) {
            quoted = true;
            fieldStarted = true;
        } else if (c == delimiter) {
            endField();
        } else if (c == u'\n') {
            endRecord();
        } else if (c == u'\r') {
            if (i + 1 >= text.size() || text[i + 1] != u'\n')
                endRecord(); // old Mac line ends
        } else {
            field += c; // a stray quote inside an unquoted field is kept, as spreadsheets do
            fieldStarted = true;
        }
    }
    if (fieldStarted || !field.isEmpty() || !record.isEmpty())
        endRecord();
    return records;
}

ExtractedDocument CsvExtractor::extract(const QByteArray &bytes, DocumentFormat format)
{
    CharsetDecoder::Decoded decoded = CharsetDecoder::decode(bytes);
    ExtractedDocument document;
    document.mimeType = mimeTypeFor(format);
    document.charset = std::move(decoded.charset);
    const QList<QStringList> records = parse(decoded.text, delimiterFor(decoded.text, format));
    if (records.isEmpty())
        return document;
    const QString header = records.constFirst().join(u" | "_s);
    if (records.size() == 1) {
        document.blocks.append(TextBlock{TextBlock::Kind::TableRow, 0, 0, header, {}});
        return document;
    }
    document.blocks.reserve(records.size() - 1);
    for (qsizetype i = 1; i < records.size(); ++i)
        document.blocks.append(TextBlock{TextBlock::Kind::TableRow, 0, 0, records.at(i).join(u" | "_s), header});
    return document;
}

} // namespace ragdesk
