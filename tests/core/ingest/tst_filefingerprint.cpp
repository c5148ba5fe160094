#include "core/ingest/FileFingerprint.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestFileFingerprint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hashesTheBytes()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"abc.txt"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("abc");
        file.close();
        const auto fingerprint = FileFingerprint::read(path, 1024);
        QVERIFY(fingerprint);
        // SHA-256("abc") from FIPS 180-2, appendix B.1.
        QCOMPARE(fingerprint->contentHash, QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(fingerprint->size, 3);
    }

    void hashesFilesLargerThanOneReadPiece()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"big.bin"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QByteArray content((3 << 20) + 17, 'z');
        file.write(content);
        file.close();
        const auto fingerprint = FileFingerprint::read(path, qint64(1) << 30);
        QVERIFY(fingerprint);
        QCOMPARE(fingerprint->contentHash, QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
    }

    void refusesMissingAndOversizedFiles()
    {
        QTemporaryDir dir;
        const auto missing = FileFingerprint::read(dir.filePath(u"gone.txt"_s), 1024);
        QVERIFY(!missing);
        QCOMPARE(missing.error().kind, Error::Kind::File);
        QVERIFY(missing.error().message.contains(u"no longer exists"_s));

        const QString path = dir.filePath(u"large.txt"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(2048, 'x'));
        file.close();
        const auto large = FileFingerprint::read(path, 1024);
        QVERIFY(!large);
        QVERIFY2(large.error().message.contains(u"more than"_s), qPrintable(large.error().message));
    }
};

QTEST_GUILESS_MAIN(TestFileFingerprint)
#include "tst_filefingerprint.moc"
