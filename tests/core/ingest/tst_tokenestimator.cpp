#include "core/ingest/TokenEstimator.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestTokenEstimator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void estimate_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("expected");
        QTest::newRow("empty") << QString() << 0;
        QTest::newRow("whitespace is free") << u" \t\n\u00A0\u3000 "_s << 0;
        QTest::newRow("one letter") << u"a"_s << 1;
        QTest::newRow("four letters") << u"abcd"_s << 1;
        QTest::newRow("five letters") << u"abcde"_s << 2;
        QTest::newRow("nine letters") << u"abcdefghi"_s << 3;
        QTest::newRow("words and punctuation") << u"Hello, world!"_s << 6; // 2 + 1 + 2 + 1
        QTest::newRow("digits run like letters") << u"2026-11-26"_s << 5;  // 1 + 1 + 1 + 1 + 1
        QTest::newRow("accented letters") << u"caf\u00E9 na\u00EFve"_s << 3;
        QTest::newRow("combining mark extends the run") << u"cafe\u0301"_s << 2;
        QTest::newRow("each ideograph") << u"\u65E5\u672C\u8A9E"_s << 3;
        QTest::newRow("kana and hangul") << u"\u3072\u3089\u304C\u306A \uD55C\uAD6D\uC5B4"_s << 7;
        QTest::newRow("ideograph outside the BMP counts once") << u"\U00020B9F"_s << 1;
        QTest::newRow("CJK punctuation") << u"\u65E5\u3002\u300C\u672C\u300D"_s << 5;
        QTest::newRow("emoji is one per code point") << u"\U0001F600"_s << 1;
        QTest::newRow("emoji with skin tone") << u"\U0001F44D\U0001F3FD"_s << 2;
        QTest::newRow("cyrillic word") << u"\u043F\u0440\u0438\u0432\u0435\u0442"_s << 2;
        QTest::newRow("lone surrogate counts as a symbol") << QString(QChar(0xD800)) << 1;
        QTest::newRow("code") << u"for (int i = 0; i < n; ++i)"_s << 15;
    }

    void estimate()
    {
        QFETCH(QString, text);
        QFETCH(int, expected);
        QCOMPARE(TokenEstimator::estimate(text), expected);
    }

    void incrementalMatchesEstimate()
    {
        const QString text = u"Le caf\u00E9 \u65E5\u672C \U0001F600 x_y 12345678 \U00020B9F!"_s;
        TokenEstimator counter;
        for (const char32_t c : text.toUcs4())
            counter.add(TokenEstimator::classify(c));
        QCOMPARE(counter.total(), TokenEstimator::estimate(text));
        QCOMPARE(counter.total(), 12);
    }

    /// The documented bound: joining two texts changes the sum by at most one token per join.
    void nearlyAdditive()
    {
        const QList<QString> pieces{u"ab"_s, u"cdefg"_s, u" "_s, u"\u65E5"_s, u"."_s, u"\U0001F600"_s,
                                    u"\u0301"_s, u"xyz1"_s, u"\n"_s};
        QRandomGenerator random(42);
        for (int round = 0; round < 2000; ++round) {
            QString a;
            QString b;
            for (int i = random.bounded(6); i > 0; --i)
                a += pieces[random.bounded(pieces.size())];
            for (int i = random.bounded(6); i > 0; --i)
                b += pieces[random.bounded(pieces.size())];
            const int joined = TokenEstimator::estimate(QString(a + b));
            const int sum = TokenEstimator::estimate(a) + TokenEstimator::estimate(b);
            if (joined > sum || joined < sum - 1)
                QFAIL(qPrintable(u"estimate(%1 + %2) = %3, parts sum to %4"_s.arg(a, b).arg(joined).arg(sum)));
        }
    }

    /// Scale check on English prose: over-estimates (safe for a budget), but not per character.
    void proseScale()
    {
        const QString prose = u"Retrieval augmented generation answers questions from your own documents. "
                              "The chunker cuts each document into pieces that fit the embedding model, "
                              "and the estimator decides how much text fits into one piece."_s;
        const int tokens = TokenEstimator::estimate(prose);
        // 32 words, 207 characters: a cl100k-style BPE spends about 38 tokens here; the estimate says 56.
        QVERIFY2(tokens >= 38 && tokens <= 60, qPrintable(QString::number(tokens)));
    }
};

QTEST_GUILESS_MAIN(TestTokenEstimator)
#include "tst_tokenestimator.moc"
