// ConversationListPanel: search over titles and message text, pinning, renaming in place and
// deleting with Undo, each through the real store on a temporary profile.

#include "core/storage/ConversationStore.h"
#include "tests/support/OpenedProfile.h"
#include "ui/ConversationListPanel.h"

#include <QCoroTask>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestConversationListPanel : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::OpenedProfile> m_profile;
    std::shared_ptr<ProfileDatabase> m_database;
    std::unique_ptr<ConversationStore> m_store;

    qint64 conversation(const QString &title, const QString &question)
    {
        const auto created = QCoro::waitFor(m_store->createConversation(title));
        if (!created)
            return 0;
        MessageRecord message;
        message.conversationId = created->id;
        message.role = u"user"_s;
        message.content = question;
        return QCoro::waitFor(m_store->appendMessage(message)) ? created->id : 0;
    }

    static QStringList rows(const ConversationListPanel &panel)
    {
        QStringList texts;
        for (int row = 0; row < panel.list()->count(); ++row)
            texts.append(panel.list()->item(row)->text());
        return texts;
    }

private Q_SLOTS:
    void init()
    {
        m_profile = std::make_unique<testing::OpenedProfile>();
        QVERIFY2(m_profile->isValid(), qPrintable(m_profile->errorText()));
        m_database = m_profile->database();
        m_store = std::make_unique<ConversationStore>(m_database);
        QVERIFY(conversation(u"Tides"_s, u"Why is the tide so high at Saint-Malo?"_s) > 0);
        QVERIFY(conversation(u"Bread"_s, u"How do I feed a sourdough starter?"_s) > 0);
    }

    void cleanup()
    {
        m_store.reset();
        m_database.reset();
        m_profile.reset();
    }

    void searchFindsMessageTextAndTitles()
    {
        ConversationListPanel panel(m_store.get());
        panel.show();
        panel.refresh();
        QTRY_COMPARE(panel.conversationCount(), 2);

        panel.searchField()->setText(u"sourdo"_s); // the word being typed matches as a prefix
        QTRY_COMPARE(panel.conversationCount(), 1);
        QVERIFY2(panel.list()->item(0)->text().startsWith(u"Bread\n"_s), qPrintable(panel.list()->item(0)->text()));
        QVERIFY(panel.list()->item(0)->text().contains(u"sourdough"_s));

        panel.searchField()->setText(u"tides"_s);
        QTRY_VERIFY(rows(panel).value(0).startsWith(u"Tides"_s));
        QCOMPARE(panel.conversationCount(), 1);

        panel.searchField()->setText(u"\"unbalanced AND ("_s); // never an FTS syntax error
        QTRY_COMPARE(panel.conversationCount(), 0);
        const QList<QLabel *> labels = panel.findChildren<QLabel *>();
        QVERIFY(std::ranges::any_of(labels, [](const QLabel *label) {
            return label->isVisible() && label->text().startsWith(u"No conversation mentions"_s);
        }));

        panel.searchField()->clear();
        QTRY_COMPARE(panel.conversationCount(), 2);
    }

    void pinnedConversationsComeFirstUnderAHeader()
    {
        ConversationListPanel panel(m_store.get());
        panel.refresh();
        QTRY_COMPARE(panel.conversationCount(), 2);
        QCOMPARE(rows(panel), (QStringList{u"Bread"_s, u"Tides"_s})); // newest first
        const qint64 tides = panel.idAt(1);
        panel.setPinned(tides, true);
        QTRY_COMPARE(rows(panel), (QStringList{u"Pinned"_s, u"Tides"_s, u"Recent"_s, u"Bread"_s}));
        QCOMPARE(panel.idAt(0), 0); // headers are not conversations
        QCOMPARE(panel.conversationCount(), 2);
        panel.setPinned(tides, false);
        QTRY_COMPARE(rows(panel), (QStringList{u"Bread"_s, u"Tides"_s}));
    }

    void renameInPlaceStoresTheTitle()
    {
        ConversationListPanel panel(m_store.get());
        panel.show();
        panel.refresh();
        QTRY_COMPARE(panel.conversationCount(), 2);
        const qint64 bread = panel.idAt(0);
        QSignalSpy renamed(&panel, &ConversationListPanel::renamed);
        panel.startRename(bread);
        auto *editor = panel.list()->findChild<QLineEdit *>();
        QTRY_VERIFY(editor = panel.list()->findChild<QLineEdit *>());
        editor->selectAll();
        QTest::keyClicks(editor, u"Baking"_s);
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_COMPARE(renamed.count(), 1);
        QCOMPARE(renamed.first().at(1).toString(), u"Baking"_s);
        const auto stored = QCoro::waitFor(m_store->listConversations());
        QVERIFY(std::ranges::any_of(*stored, [](const Conversation &c) { return c.title == u"Baking"_s; }));
        QTRY_VERIFY(rows(panel).contains(u"Baking"_s));
    }

    void deleteKeyAsksTheWindowAndUndoRestores()
    {
        ConversationListPanel panel(m_store.get());
        panel.show();
        panel.refresh();
        QTRY_COMPARE(panel.conversationCount(), 2);
        QSignalSpy deleted(&panel, &ConversationListPanel::deleteRequested);
        panel.list()->setCurrentRow(0);
        QTest::keyClick(panel.list(), Qt::Key_Delete);
        QCOMPARE(deleted.count(), 1);
        const qint64 id = deleted.first().at(0).toLongLong();
        QCOMPARE(deleted.first().at(1).toString(), u"Bread"_s);

        // What the window does on deleteRequested: delete softly, then offer Undo.
        QVERIFY(QCoro::waitFor(m_store->deleteConversation(id)));
        panel.offerUndo(id, u"Bread"_s);
        panel.refresh();
        QTRY_COMPARE(panel.conversationCount(), 1);
        QVERIFY(panel.undoButton()->isVisible());
        panel.undoButton()->click();
        QTRY_COMPARE(panel.conversationCount(), 2);
        QVERIFY(!panel.undoButton()->isVisible());
    }
};

QTEST_MAIN(TestConversationListPanel)
#include "tst_conversationlistpanel.moc"
