#include "core/ingest/extraction/ExtractionProtocol.h"
#include "core/ingest/extraction/FrameReader.h"
#include "tests/support/ByteSplits.h"

#include <QDataStream>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {
ExtractedDocument richDocument()
{
    ExtractedDocument document;
    document.title = u"Über Café — 日本語 🚀"_s;
    document.mimeType = u"application/pdf"_s;
    document.codeLanguage = u"C++"_s;
    document.charset = u"windows-1252"_s;
    document.pageCount = 42;
    document.blocks = {
        {TextBlock::Kind::Heading, 2, 1, u"Kapitel Ä"_s, {}},
        {TextBlock::Kind::Paragraph, 0, 1, u"line one\nline two ✓"_s, {}},
        {TextBlock::Kind::ListItem, 0, 2, u"• item"_s, {}},
        {TextBlock::Kind::Code, 0, 3, u"int main() { return 0; }\n"_s, {}},
        {TextBlock::Kind::TableRow, 0, 7, u"1 | 二"_s, u"id | name"_s},
        {TextBlock::Kind::Paragraph, 0, 0, QString(), QString()},
    };
    return document;
}

ExtractionLimits oddLimits()
{
    return ExtractionLimits{7, qint64(3) << 30, qint64(5) << 20, 123, qint64(9) << 20, qint64(1) << 33};
}

QByteArray payloadOf(const QByteArray &frame)
{
    return frame.sliced(ExtractionProtocol::HeaderBytes);
}

QByteArray headerFor(quint32 length)
{
    QByteArray header;
    QDataStream out(&header, QIODevice::WriteOnly);
    out << length; // QDataStream is big-endian, like the frame header
    return header;
}
} // namespace

class TestExtractionProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestRoundTrip()
    {
        const ExtractionRequest request{u"/home/zoë/Dokumente/報告 🚀.pdf"_s, oddLimits(), 0x1234'5678'9abc'def0};
        const QByteArray frame = ExtractionProtocol::encodeRequest(request);
        QCOMPARE(ExtractionProtocol::payloadLength(frame), quint32(frame.size() - ExtractionProtocol::HeaderBytes));
        const auto decoded = ExtractionProtocol::decodeRequest(payloadOf(frame));
        QVERIFY(decoded);
        QCOMPARE(decoded->path, request.path);
        QCOMPARE(decoded->id, request.id);
        QVERIFY(decoded->limits == request.limits);
        QVERIFY(!(decoded->limits == ExtractionLimits{})); // the odd values really travelled
    }

    void documentReplyRoundTrip()
    {
        const ExtractedDocument document = richDocument();
        const auto decoded = ExtractionProtocol::decodeReply(payloadOf(ExtractionProtocol::encodeReply({document, 77})));
        QVERIFY(decoded);
        QCOMPARE(decoded->id, quint64(77));
        QVERIFY(decoded->result);
        QCOMPARE(decoded->result->title, document.title);
        QCOMPARE(decoded->result->blocks.size(), document.blocks.size());
        for (qsizetype i = 0; i < document.blocks.size(); ++i)
            QVERIFY2(decoded->result->blocks.at(i) == document.blocks.at(i), qPrintable(u"block %1"_s.arg(i)));
        QVERIFY(*decoded->result == document);
    }

    void errorReplyRoundTrip_data()
    {
        QTest::addColumn<Error::Kind>("kind");
        QTest::newRow("extraction") << Error::Kind::Extraction;
        QTest::newRow("unsupported") << Error::Kind::Unsupported;
        QTest::newRow("file") << Error::Kind::File;
        QTest::newRow("unknown") << Error::Kind::Unknown;
    }

    void errorReplyRoundTrip()
    {
        QFETCH(Error::Kind, kind);
        const ExtractionReply reply{fail(kind, u"Die Datei ist verschlüsselt 🔒"_s, u"poppler: encrypted"_s)};
        const auto decoded = ExtractionProtocol::decodeReply(payloadOf(ExtractionProtocol::encodeReply(reply)));
        QVERIFY(decoded);
        QVERIFY(!decoded->result);
        QCOMPARE(decoded->result.error().kind, kind);
        QCOMPARE(decoded->result.error().message, u"Die Datei ist verschlüsselt 🔒"_s);
        QCOMPARE(decoded->result.error().detail, u"poppler: encrypted"_s);
    }

    void framesSplitAtEveryOffset()
    {
        const ExtractionRequest request{u"/tmp/ä.txt"_s, oddLimits()};
        ExtractedDocument document = richDocument();
        document.blocks.resize(2);
        const QByteArray stream = ExtractionProtocol::encodeRequest(request) + ExtractionProtocol::encodeReply({document})
                                  + ExtractionProtocol::encodeReply({fail(Error::Kind::File, u"gone"_s)});
        const QString failure = testing::firstFailingSplit(stream, false, [&](const QList<QByteArrayView> &pieces) {
            FrameReader reader(1 << 20);
            QList<QByteArray> frames;
            for (QByteArrayView piece : pieces) {
                reader.feed(piece);
                while (true) {
                    auto frame = reader.next();
                    if (!frame || !frame->has_value())
                        break;
                    frames.append(**frame);
                }
            }
            if (frames.size() != 3 || reader.isMidFrame() || reader.hasFailed())
                return false;
            const auto first = ExtractionProtocol::decodeRequest(frames[0]);
            const auto second = ExtractionProtocol::decodeReply(frames[1]);
            const auto third = ExtractionProtocol::decodeReply(frames[2]);
            return first && *first == request && second && second->result && *second->result == document && third
                   && !third->result && third->result.error().message == u"gone"_s;
        });
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }

    void readerWaitsForTheWholeFrame()
    {
        const QByteArray frame = ExtractionProtocol::encodeRequest({u"x"_s, {}});
        FrameReader reader(1 << 20);
        reader.feed(QByteArrayView(frame).chopped(1));
        QVERIFY(reader.isMidFrame());
        QVERIFY(reader.next().value() == std::nullopt);
        reader.feed(QByteArrayView(frame).last(1));
        QVERIFY(!reader.isMidFrame());
        QCOMPARE(reader.next().value(), std::optional(payloadOf(frame)));
    }

    void oversizeFrameRefused()
    {
        FrameReader reader(100);
        reader.feed(QByteArray(headerFor(100) + QByteArray(100, 'x'))); // exactly the maximum is fine
        QCOMPARE(reader.next().value()->size(), 100);

        reader.feed(headerFor(101)); // the header alone is enough to refuse
        const auto refused = reader.next();
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, Error::Kind::Protocol);
        QVERIFY(refused.error().message.contains(u"larger than"_s));
        QVERIFY(refused.error().detail.contains(u"101"_s));

        // Once out of sync, nothing later is trusted, not even a well-formed frame.
        reader.feed(QByteArray(headerFor(1) + "y"));
        QVERIFY(!reader.next());
        QVERIFY(reader.hasFailed());
    }

    void maxReplyFitsTheTextCap()
    {
        ExtractionLimits limits;
        QVERIFY(ExtractionProtocol::maxReplyBytes(limits) >= 2 * limits.maxTextChars);
        limits.maxTextChars = qint64(1) << 40;
        QCOMPARE(ExtractionProtocol::maxReplyBytes(limits), qint64(std::numeric_limits<quint32>::max()));
    }

    void truncatedOrPaddedPayloadRefused()
    {
        const QByteArray reply = payloadOf(ExtractionProtocol::encodeReply({richDocument()}));
        for (qsizetype length = 0; length < reply.size(); ++length) {
            const auto decoded = ExtractionProtocol::decodeReply(reply.first(length));
            QVERIFY2(!decoded, qPrintable(u"accepted a reply cut at %1 of %2"_s.arg(length).arg(reply.size())));
            QCOMPARE(decoded.error().kind, Error::Kind::Protocol);
        }
        QVERIFY(!ExtractionProtocol::decodeReply(reply + '\0'));

        const QByteArray request = payloadOf(ExtractionProtocol::encodeRequest({u"/a"_s, {}}));
        for (qsizetype length = 0; length < request.size(); ++length)
            QVERIFY(!ExtractionProtocol::decodeRequest(request.first(length)));
        QVERIFY(!ExtractionProtocol::decodeRequest(request + 'x'));
        // A request is not a reply, and the other way round.
        QVERIFY(!ExtractionProtocol::decodeReply(request));
        QVERIFY(!ExtractionProtocol::decodeRequest(reply));
    }

    void outOfRangeEnumsRefused()
    {
        QByteArray badKind = payloadOf(ExtractionProtocol::encodeReply({fail(Error::Kind::File, u"m"_s)}));
        // magic (4) + type (1) + id (8) + ok flag (1), then the error kind as a big-endian qint32
        QCOMPARE(badKind.at(14 + 3), char(Error::Kind::File));
        badKind[14 + 3] = char(0x7f);
        QVERIFY(!ExtractionProtocol::decodeReply(badKind));

        ExtractedDocument document;
        document.blocks.append({TextBlock::Kind::Paragraph, 0, 0, u"t"_s, {}});
        QByteArray badBlock = payloadOf(ExtractionProtocol::encodeReply({document}));
        // The block's kind byte sits right after the four empty strings, the page count and the block count.
        const qsizetype kindAt = 14 + 4 * 4 + 4 + 4;
        QCOMPARE(badBlock.at(kindAt), char(TextBlock::Kind::Paragraph));
        badBlock[kindAt] = char(9);
        QVERIFY(!ExtractionProtocol::decodeReply(badBlock));
    }

    void garbageRefusedNotCrashed()
    {
        // Random bytes, and random bytes behind a valid magic, type, id and ok flag so the decoder gets deep.
        const QByteArray valid = payloadOf(ExtractionProtocol::encodeReply({richDocument()}));
        QRandomGenerator random(20261126);
        int refused = 0;
        for (int round = 0; round < 2000; ++round) {
            QByteArray bytes(random.bounded(1, 200), Qt::Uninitialized);
            for (char &byte : bytes)
                byte = char(random.bounded(256));
            if (round % 2 == 1)
                bytes.prepend(valid.first(14));
            if (!ExtractionProtocol::decodeReply(bytes))
                ++refused;
            (void)ExtractionProtocol::decodeRequest(bytes);
        }
        QVERIFY(refused > 1900); // a handful may decode as an empty document by chance; none may crash
    }
};

QTEST_GUILESS_MAIN(TestExtractionProtocol)
#include "tst_extractionprotocol.moc"
