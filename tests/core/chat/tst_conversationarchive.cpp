// ConversationArchive: exports one conversation (Markdown shows the branch on screen, JSON keeps
// the tree), exports all, imports them back as new conversations, and refuses files that are
// not exports (or are absurdly large) without storing anything.

#include "core/chat/ConversationArchive.h"
#include "core/storage/ConversationStore.h"
#include "tests/support/OpenedProfile.h"

#include <QCoroTask>
#include <QDir>
#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestConversationArchive : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::OpenedProfile> m_profile;
    std::shared_ptr<ProfileDatabase> m_database;
    std::shared_ptr<ConversationStore> m_store;

    qint64 append(qint64 conversationId, qint64 parentId, const QString &role, const QString &content)
    {
        MessageRecord record;
        record.conversationId = conversationId;
        record.parentId = parentId;
        record.role = role;
        record.content = content;
        const auto appended = QCoro::waitFor(m_store->appendMessage(record));
        return appended ? appended->id : 0;
    }

    /// "Tides": a question with two versions of its answer; the first version is on screen.
    qint64 makeConversation()
    {
        const auto created = QCoro::waitFor(m_store->createConversation(u"Tides"_s));
        if (!created)
            return 0;
        const qint64 question = append(created->id, 0, u"user"_s, u"What causes tides?"_s);
        const qint64 first = append(created->id, question, u"assistant"_s, u"The Moon's pull [1]."_s);
        append(created->id, question, u"assistant"_s, u"Mostly the Moon, partly the Sun."_s);
        if (!QCoro::waitFor(m_store->setActiveLeaf(created->id, first)))
            return 0;
        return created->id;
    }

    QString path(const QString &name) const { return QDir(m_profile->path()).filePath(name); }

    static QString read(const QString &file)
    {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }

private Q_SLOTS:
    void init()
    {
        m_profile = std::make_unique<testing::OpenedProfile>();
        QVERIFY2(m_profile->isValid(), qPrintable(m_profile->errorText()));
        m_database = m_profile->database();
        m_store = std::make_shared<ConversationStore>(m_database);
    }

    void cleanup()
    {
        m_store.reset();
        m_database.reset();
        m_profile.reset();
    }

    void markdownShowsTheBranchOnScreen()
    {
        const qint64 id = makeConversation();
        QVERIFY(id > 0);
        ConversationArchive archive(m_store);
        QVERIFY(QCoro::waitFor(archive.exportConversation(id, ConversationArchive::Format::Markdown, path(u"t.md"_s))));
        const QString markdown = read(path(u"t.md"_s));
        QVERIFY2(markdown.contains(u"Tides"_s), qPrintable(markdown));
        QVERIFY(markdown.contains(u"What causes tides?"_s));
        QVERIFY(markdown.contains(u"The Moon's pull"_s));
        QVERIFY(!markdown.contains(u"partly the Sun"_s)); // the other version is not on screen
    }

    void jsonRoundTripKeepsTheWholeTree()
    {
        const qint64 id = makeConversation();
        ConversationArchive archive(m_store);
        QVERIFY(QCoro::waitFor(archive.exportConversation(id, ConversationArchive::Format::Json, path(u"t.json"_s))));
        const auto imported = QCoro::waitFor(archive.importFile(path(u"t.json"_s)));
        QVERIFY2(imported, imported ? "" : qPrintable(imported.error().message));
        QCOMPARE(imported->size(), 1);
        const Conversation copy = imported->first();
        QVERIFY(copy.id != id);
        QCOMPARE(copy.title, u"Tides"_s);
        const auto messages = QCoro::waitFor(m_store->messages(copy.id));
        QVERIFY(messages.has_value());
        QCOMPARE(messages->size(), 3);
        // Both answers hang off the imported question, and the version on screen is kept.
        QCOMPARE(messages->at(1).parentId, messages->at(0).id);
        QCOMPARE(messages->at(2).parentId, messages->at(0).id);
        QCOMPARE(copy.activeLeafId, messages->at(1).id);
    }

    void exportAllThenImportDoublesTheList()
    {
        makeConversation();
        QVERIFY(QCoro::waitFor(m_store->createConversation(u"Empty"_s)).has_value());
        ConversationArchive archive(m_store);
        const auto exported = QCoro::waitFor(archive.exportAll(path(u"all.json"_s)));
        QVERIFY(exported.has_value());
        QCOMPARE(*exported, 2);
        const auto imported = QCoro::waitFor(archive.importFile(path(u"all.json"_s)));
        QVERIFY(imported.has_value());
        QCOMPARE(imported->size(), 2);
        QCOMPARE(QCoro::waitFor(m_store->listConversations())->size(), 4);
    }

    void refusesWhatIsNotAnExport()
    {
        ConversationArchive archive(m_store);
        QFile junk(path(u"junk.json"_s));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write(R"({"format":"something.else","version":1})");
        junk.close();
        const auto refused = QCoro::waitFor(archive.importFile(junk.fileName()));
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains(u"not a ragdesk conversation export"_s),
                 qPrintable(refused.error().message));

        QFile huge(path(u"huge.json"_s));
        QVERIFY(huge.open(QIODevice::WriteOnly));
        QVERIFY(huge.resize(ConversationArchive::kMaxImportBytes + 1)); // sparse: costs no disk
        huge.close();
        const auto tooBig = QCoro::waitFor(archive.importFile(huge.fileName()));
        QVERIFY(!tooBig);
        QVERIFY2(tooBig.error().message.contains(u"nothing was imported"_s), qPrintable(tooBig.error().message));

        const auto missing = QCoro::waitFor(archive.importFile(path(u"absent.json"_s)));
        QVERIFY(!missing);
        QVERIFY(missing.error().message.contains(u"absent.json"_s));
        QVERIFY(QCoro::waitFor(m_store->listConversations())->isEmpty());
    }

    void exportToAnUnwritablePlaceSaysSo()
    {
        const qint64 id = makeConversation();
        ConversationArchive archive(m_store);
        const auto failed = QCoro::waitFor(archive.exportConversation(
            id, ConversationArchive::Format::Json, path(u"no-such-dir/t.json"_s)));
        QVERIFY(!failed);
        QVERIFY2(failed.error().message.contains(u"Could not write t.json"_s), qPrintable(failed.error().message));
        const auto gone = QCoro::waitFor(archive.exportConversation(999, ConversationArchive::Format::Json, path(u"x"_s)));
        QVERIFY(!gone);
    }
};

QTEST_GUILESS_MAIN(TestConversationArchive)
#include "tst_conversationarchive.moc"
