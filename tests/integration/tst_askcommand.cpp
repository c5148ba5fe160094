// ragdesk-cli ask as a user runs it: two Markdown notes indexed with `kb create` and `kb add`,
// then questions answered by the fake server quoting its sources, checked through --json's last
// line and the text mode's "Sources:" block.

#include "tests/integration/CliRun.h"
#include "tests/support/FakeLlmServer.h"
#include "tests/support/ShippedBinary.h"
#include "tests/support/TempProfile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using ragdesk::testing::CliRun;
using ragdesk::testing::FakeLlmServer;
using ragdesk::testing::shippedBinary;

namespace {

bool writeFile(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

} // namespace

class TestAskCommand : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_notes;
    ragdesk::testing::TempProfile m_profile;
    std::unique_ptr<FakeLlmServer> m_server;

    [[nodiscard]] QString solarPath() const { return QDir(m_notes.path()).filePath(u"solar.md"_s); }

    /// The global options of every run: this profile, the fake server.
    [[nodiscard]] QStringList globals() const
    {
        return {u"--profile"_s, m_profile.path(), u"--base-url"_s, m_server->baseUrl().toString(), u"--model"_s,
                u"fake-model"_s};
    }

    [[nodiscard]] static CliRun runCli(const QStringList &arguments)
    {
        return CliRun::run(shippedBinary(u"ragdesk-cli"_s), arguments);
    }
    [[nodiscard]] CliRun ask(const QStringList &arguments) const
    {
        return runCli(globals() + QStringList{u"ask"_s} + arguments);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(QFile::exists(shippedBinary(u"ragdesk-cli"_s)), qPrintable(shippedBinary(u"ragdesk-cli"_s)));
        FakeLlmServer::Options options;
        options.quoteSources = FakeLlmServer::Options::QuoteSources::WithMarker;
        options.tokensPerSecond = 0;
        m_server = std::make_unique<FakeLlmServer>(options);

        QVERIFY(writeFile(solarPath(), "# Solar panels\n\nClean the solar panels with soft water every spring; "
                                       "hard water leaves chalk on the photovoltaic glass.\n"));
        QVERIFY(writeFile(QDir(m_notes.path()).filePath(u"garden.md"_s),
                          "# Tomatoes\n\nTomato seedlings want a sunny greenhouse and canes by early May.\n"));
        const CliRun created = runCli(globals() + QStringList{u"kb"_s, u"create"_s, u"Notes"_s});
        QVERIFY2(created.code == 0, created.errors.constData());
        const CliRun added = runCli(globals() + QStringList{u"kb"_s, u"add"_s, u"Notes"_s, m_notes.path()});
        QVERIFY2(added.code == 0, added.printed().constData());
    }

    void jsonAnswerCitesTheMatchingNote()
    {
        const CliRun first = ask({u"--json"_s, u"How should I clean the solar panels?"_s});
        QVERIFY2(first.code == 0, first.printed().constData());
        const QJsonObject json = first.lastLineJson();
        QVERIFY2(!json.value(u"answer"_s).toString().trimmed().isEmpty(), first.output.constData());
        const QJsonArray citations = json.value(u"citations"_s).toArray();
        QVERIFY2(!citations.isEmpty(), first.output.constData());
        const QJsonObject cited = citations.first().toObject();
        QCOMPARE(cited.value(u"n"_s).toInt(), 1);
        QCOMPARE(cited.value(u"path"_s).toString(), solarPath());
        QVERIFY(cited.value(u"chunk_id"_s).toInteger() > 0);
        const QJsonObject metrics = json.value(u"metrics"_s).toObject();
        QVERIFY2(metrics.value(u"ttft_ms"_s).toDouble(-1) >= 0, first.output.constData());
        QVERIFY2(metrics.value(u"retrieval_ms"_s).toDouble(-1) >= 0, first.output.constData());
        const qint64 conversation = json.value(u"conversation_id"_s).toInteger();
        QVERIFY(conversation > 0);

        // A follow-up in the same conversation keeps its id.
        const CliRun second = ask({u"--json"_s, u"--conversation"_s, QString::number(conversation),
                                u"What does hard water leave on the glass?"_s});
        QVERIFY2(second.code == 0, second.printed().constData());
        const QJsonObject followUp = second.lastLineJson();
        QCOMPARE(followUp.value(u"conversation_id"_s).toInteger(), conversation);
        QVERIFY(!followUp.value(u"answer"_s).toString().trimmed().isEmpty());
    }

    void unknownAssistantListsTheKnownOnes()
    {
        const CliRun result = ask({u"--assistant"_s, u"Nope"_s, u"Anything?"_s});
        QVERIFY(result.code != 0);
        QVERIFY2(result.errors.contains("Nope") && result.errors.contains("Document assistant"), result.errors.constData());
    }

    void textModeListsTheSources()
    {
        const CliRun result = ask({u"Which water is best for the solar panels?"_s});
        QVERIFY2(result.code == 0, result.printed().constData());
        QVERIFY2(result.output.contains("\nSources:\n"), result.output.constData());
        QVERIFY2(result.output.contains("solar.md"), result.output.constData());
        QVERIFY(result.output.contains("Conversation "));
    }
};

QTEST_GUILESS_MAIN(TestAskCommand)
#include "tst_askcommand.moc"
