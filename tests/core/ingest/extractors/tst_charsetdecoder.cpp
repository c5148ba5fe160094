#include "core/ingest/extractors/CharsetDecoder.h"
#include "tests/support/documents/TestDocuments.h"

#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::CharsetDecoder;
namespace testdocs = ragdesk::testdocs;

namespace {
// Long enough for uchardet to be confident; mixed accents make Latin-1 unambiguous.
const QString French = u"Le garçon a mangé une crème brûlée à la fenêtre. Où est la gare ? Voilà, très "
                       "bien : déjà vu, naïve, Noël, cour à côté, l'été dernier était chaud. "_s.repeated(4);
const QString Japanese = u"日本語の文章です。これは文字コードの検出を試すためのテキストです。"_s.repeated(6);
} // namespace

class TestCharsetDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodesCharsets_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("charset");
        QTest::addColumn<bool>("bom");
        QTest::addColumn<QString>("expectedCharset");
        QTest::newRow("utf-8") << French << u"UTF-8"_s << false << u"UTF-8"_s;
        QTest::newRow("utf-8 bom") << French << u"UTF-8"_s << true << u"UTF-8"_s;
        QTest::newRow("utf-16le bom") << Japanese << u"UTF-16LE"_s << true << u"UTF-16LE"_s;
        QTest::newRow("utf-16be bom") << French << u"UTF-16BE"_s << true << u"UTF-16BE"_s;
        QTest::newRow("latin-1") << French << u"ISO-8859-1"_s << false << QString();
        QTest::newRow("shift-jis") << Japanese << u"Shift_JIS"_s << false << u"SHIFT_JIS"_s;
        QTest::newRow("ascii") << u"plain ascii text"_s << u"UTF-8"_s << false << u"UTF-8"_s;
    }
    void decodesCharsets()
    {
        QFETCH(QString, text);
        QFETCH(QString, charset);
        QFETCH(bool, bom);
        QFETCH(QString, expectedCharset);
        const QByteArray bytes = testdocs::encode(text, charset, bom);
        QVERIFY(!bytes.isEmpty());
        const CharsetDecoder::Decoded decoded = CharsetDecoder::decode(bytes);
        QCOMPARE(decoded.text, text); // includes: no BOM left at the start
        if (!expectedCharset.isEmpty())
            QCOMPARE(decoded.charset, expectedCharset);
        else // uchardet names Latin-1 text ISO-8859-1 or its superset WINDOWS-1252; both decode it
            QVERIFY2(decoded.charset == u"ISO-8859-1"_s || decoded.charset == u"WINDOWS-1252"_s,
                     qPrintable(decoded.charset));
    }

    void invalidBytesBecomeReplacementCharacters()
    {
        QByteArray bytes = French.toUtf8();
        bytes.insert(10, "\xC3\x28\xFF");
        const CharsetDecoder::Decoded decoded = CharsetDecoder::decode(bytes);
        QCOMPARE(decoded.charset, u"UTF-8"_s);
        QVERIFY(decoded.text.contains(u"crème brûlée"_s));
        QVERIFY(decoded.text.contains(QChar::ReplacementCharacter));
    }

    void emptyInput()
    {
        const CharsetDecoder::Decoded decoded = CharsetDecoder::decode({});
        QVERIFY(decoded.text.isEmpty());
        QVERIFY(!decoded.charset.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCharsetDecoder)
#include "tst_charsetdecoder.moc"
