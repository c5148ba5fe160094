#include "tests/support/documents/TestDocuments.h"
#include "tests/support/documents/BlockGroups.h"

#include <QFile>
#include <QStringEncoder>

using namespace Qt::StringLiterals;

namespace ragdesk::testdocs {

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

QByteArray html(const QList<TextBlock> &blocks, const QString &title)
{
    QString out = u"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"_s + title.toHtmlEscaped()
                  + u"</title><style>p { color: red; }</style><script>var hidden = 'script text';</script>"
                    "</head>\n<body><nav><a href=\"/\">Navigation link</a></nav>\n"_s;
    BlockGroups groups(u"</ul>\n"_s, u"</table>\n"_s);
    for (const TextBlock &block : blocks) {
        out += groups.enter(block.kind);
        const QString text = block.text.toHtmlEscaped();
        switch (block.kind) {
        case TextBlock::Kind::Heading:
            out += u"<h%1>%2</h%1>\n"_s.arg(block.level).arg(text);
            break;
        case TextBlock::Kind::Paragraph:
            out += u"<p>"_s + QString(text).replace(u"\n"_s, u"<br>"_s) + u"</p>\n"_s;
            break;
        case TextBlock::Kind::ListItem:
            if (groups.starting())
                out += u"<ul>\n"_s;
            out += u"<li>"_s + text + u"</li>\n"_s;
            break;
        case TextBlock::Kind::Code:
            out += u"<pre>"_s + text + u"</pre>\n"_s;
            break;
        case TextBlock::Kind::TableRow: {
            if (groups.starting()) {
                out += u"<table>\n<tr>"_s;
                for (const QString &cell : block.header.split(u" | "_s))
                    out += u"<th>"_s + cell.toHtmlEscaped() + u"</th>"_s;
                out += u"</tr>\n"_s;
            }
            out += u"<tr>"_s;
            for (const QString &cell : block.text.split(u" | "_s))
                out += u"<td>"_s + cell.toHtmlEscaped() + u"</td>"_s;
            out += u"</tr>\n"_s;
            break;
        }
        }
    }
    out += groups.close();
    out += u"<noscript>Enable scripts</noscript></body></html>\n"_s;
    return out.toUtf8();
}

QByteArray csv(const QList<QStringList> &records, QChar delimiter)
{
    QString out;
    for (const QStringList &record : records) {
        QStringList fields;
        for (const QString &field : record) {
            if (field.contains(delimiter) || field.contains(u'"') || field.contains(u'\n') || field.contains(u'\r'))
                fields.append(u'"' + QString(field).replace(u"\""_s, u"\"\""_s) + u'"');
            else
                fields.append(field);
        }
        out += fields.join(delimiter) + u"\r\n"_s;
    }
    return out.toUtf8();
}

QByteArray encode(const QString &text, const QString &charset, bool withBom)
{
    QStringEncoder encoder(charset, withBom ? QStringEncoder::Flag::WriteBom : QStringEncoder::Flag::Default);
    if (!encoder.isValid())
        return {};
    return encoder.encode(text);
}

} // namespace ragdesk::testdocs
