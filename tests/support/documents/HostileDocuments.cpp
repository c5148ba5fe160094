#include "tests/support/documents/TestDocuments.h"

#include <KZip>

#include <QFile>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace ragdesk::testdocs {

namespace {
constexpr qint64 StreamPieceBytes = 1 << 20;
}

bool writeZipBombDocx(const QString &path, qint64 inflatedBytes)
{
    KZip zip(path);
    if (!zip.open(QIODevice::WriteOnly))
        return false;
    zip.setCompression(KZip::DeflateCompression);
    if (!zip.writeFile(u"[Content_Types].xml"_s, "<?xml version=\"1.0\"?><Types/>"))
        return false;
    if (!zip.prepareWriting(u"word/document.xml"_s, QString(), QString(), inflatedBytes))
        return false;
    // The opening tag makes it look like a document; the rest is one repeated byte.
    const QByteArray head = "<?xml version=\"1.0\"?><w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>";
    if (!zip.writeData(head.constData(), head.size()))
        return false;
    const QByteArray piece(StreamPieceBytes, 'A');
    for (qint64 written = head.size(); written < inflatedBytes; written += piece.size()) {
        const qint64 size = qMin<qint64>(piece.size(), inflatedBytes - written);
        if (!zip.writeData(piece.constData(), size))
            return false;
    }
    return zip.finishWriting(inflatedBytes) && zip.close();
}

bool writeManyEntriesDocx(const QString &path, int entries)
{
    KZip zip(path);
    if (!zip.open(QIODevice::WriteOnly))
        return false;
    if (!zip.writeFile(u"word/document.xml"_s,
                       "<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>fine</w:t></w:r></w:p></w:body></w:document>"))
        return false;
    for (int i = 0; i < entries; ++i) {
        if (!zip.writeFile(u"junk/%1.txt"_s.arg(i), "x"))
            return false;
    }
    return zip.close();
}

bool writeTruncatedCopy(const QString &source, const QString &path, double keepFraction)
{
    QFile in(source);
    if (!in.open(QIODevice::ReadOnly))
        return false;
    const QByteArray bytes = in.readAll();
    return writeBytes(path, bytes.first(qsizetype(double(bytes.size()) * keepFraction)));
}

bool writeRandomBytes(const QString &path, qint64 size, quint32 seed)
{
    QRandomGenerator random(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    for (char &byte : bytes)
        byte = char(random.bounded(256));
    return writeBytes(path, bytes);
}

bool writeSingleLineText(const QString &path, qint64 size)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    const QByteArray piece = QByteArray("all work and no play makes a long line ").repeated(1 << 14);
    for (qint64 written = 0; written < size;) {
        const qint64 n = qMin<qint64>(piece.size(), size - written);
        if (file.write(piece.constData(), n) != n)
            return false;
        written += n;
    }
    return true;
}

} // namespace ragdesk::testdocs
