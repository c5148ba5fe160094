#include "app/cli/BenchCorpus.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPainter>
#include <QPdfWriter>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace ragdesk::cli {

namespace {

/// Sentences of plausible technical prose from a fixed vocabulary.
class ProseWriter
{
public:
    explicit ProseWriter(quint32 seed)
        : m_random(seed)
    {
    }

    QString sentence()
    {
        static const QStringList words{
            u"index"_s,   u"query"_s,    u"document"_s, u"window"_s,  u"thread"_s,  u"latency"_s, u"chunk"_s,
            u"search"_s,  u"answer"_s,   u"model"_s,    u"stream"_s,  u"database"_s, u"folder"_s, u"page"_s,
            u"install"_s, u"configure"_s, u"network"_s, u"cache"_s,   u"result"_s,  u"context"_s, u"prompt"_s,
            u"citation"_s, u"source"_s,  u"vector"_s,   u"keyword"_s, u"ranking"_s, u"user"_s,    u"server"_s,
            u"the"_s,     u"a"_s,        u"of"_s,       u"and"_s,     u"with"_s,    u"for"_s,     u"every"_s,
            u"responsive"_s, u"quickly"_s, u"never"_s,  u"reliable"_s, u"local"_s,  u"remote"_s,  u"large"_s};
        const int length = 8 + int(m_random.bounded(14));
        QStringList picked;
        for (int i = 0; i < length; ++i)
            picked.append(words.at(qsizetype(m_random.bounded(quint32(words.size())))));
        QString text = picked.join(u' ');
        text[0] = text[0].toUpper();
        return text + u'.';
    }

    QString paragraph(int sentences)
    {
        QStringList parts;
        for (int i = 0; i < sentences; ++i)
            parts.append(sentence());
        return parts.join(u' ');
    }

    int between(int low, int high) { return low + int(m_random.bounded(quint32(high - low + 1))); }

private:
    QRandomGenerator m_random;
};

Result<qint64> writeFile(const QString &path, const QString &text)
{
    QFile file(path);
    const QByteArray bytes = text.toUtf8();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        return fail(Error::Kind::File, u"Cannot write %1: %2"_s.arg(path, file.errorString()));
    return bytes.size();
}

QString markdownNote(ProseWriter &prose, int index)
{
    QString text = u"# Note %1: %2\n\n%3\n\n"_s.arg(index).arg(prose.sentence(), prose.paragraph(4));
    for (int section = 1; section <= 3; ++section) {
        text += u"## Section %1\n\n%2\n\n"_s.arg(section).arg(prose.paragraph(prose.between(3, 7)));
        for (int item = 0; item < 3; ++item)
            text += u"- %1\n"_s.arg(prose.sentence());
        text += u"\n### Details\n\n%1\n\n"_s.arg(prose.paragraph(prose.between(4, 9)));
        if (section == 2)
            text += u"```cpp\nint answer(int question) {\n    return question * 42;\n}\n```\n\n"_s;
    }
    return text;
}

QString plainText(ProseWriter &prose)
{
    QString text;
    for (int i = 0; i < 10; ++i)
        text += prose.paragraph(prose.between(3, 6)) + u"\n\n"_s;
    return text;
}

Result<void> writePdf(const QString &path, ProseWriter &prose, int pages, int index)
{
    QPdfWriter writer(path);
    writer.setTitle(u"Manual %1"_s.arg(index));
    writer.setResolution(72);
    QPainter painter;
    if (!painter.begin(&writer))
        return fail(Error::Kind::File, u"Cannot create the PDF %1"_s.arg(path));
    QFont body(u"DejaVu Sans"_s, 10);
    QFont heading(u"DejaVu Sans"_s, 16, QFont::Bold);
    const QRect area = painter.viewport().adjusted(40, 40, -40, -40);
    for (int page = 1; page <= pages; ++page) {
        if (page > 1)
            writer.newPage();
        painter.setFont(heading);
        painter.drawText(area.topLeft() + QPoint(0, 20), u"Chapter %1 of manual %2"_s.arg(page).arg(index));
        painter.setFont(body);
        const QRect text = area.adjusted(0, 40, 0, 0);
        painter.drawText(text, Qt::TextWordWrap, prose.paragraph(12) + u"\n\n"_s + prose.paragraph(12));
    }
    painter.end();
    return {};
}

} // namespace

Result<BenchCorpus::Summary> BenchCorpus::write(const QString &folder, Shape shape)
{
    if (!QDir().mkpath(folder))
        return fail(Error::Kind::File, u"Cannot create %1"_s.arg(folder));
    ProseWriter prose(20261126);
    const int pdfs = std::max(1, shape.files / 10);
    const int markdown = std::max(1, (shape.files - pdfs) / 2);
    const int text = std::max(1, shape.files - pdfs - markdown);
    Summary summary;
    const QDir dir(folder);
    // Notes in a subfolder, so the scan's recursion is part of what is measured.
    if (!dir.mkpath(u"notes"_s))
        return fail(Error::Kind::File, u"Cannot create %1/notes"_s.arg(folder));
    for (int i = 0; i < markdown; ++i) {
        auto written = writeFile(dir.filePath(u"notes/note-%1.md"_s.arg(i, 4, 10, QChar(u'0'))), markdownNote(prose, i));
        if (!written)
            return std::unexpected(written.error());
        summary.bytes += *written;
        ++summary.markdown;
    }
    for (int i = 0; i < text; ++i) {
        auto written = writeFile(dir.filePath(u"log-%1.txt"_s.arg(i, 4, 10, QChar(u'0'))), plainText(prose));
        if (!written)
            return std::unexpected(written.error());
        summary.bytes += *written;
        ++summary.text;
    }
    for (int i = 0; i < pdfs; ++i) {
        const QString path = dir.filePath(u"manual-%1.pdf"_s.arg(i, 3, 10, QChar(u'0')));
        if (auto written = writePdf(path, prose, shape.pdfPages, i); !written)
            return std::unexpected(written.error());
        summary.bytes += QFileInfo(path).size();
        summary.pdfPaths.append(path);
        ++summary.pdfs;
        summary.pdfPages += shape.pdfPages;
    }
    return summary;
}

} // namespace ragdesk::cli
