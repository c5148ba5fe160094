// ConversationBranches: the moves a session makes on its conversation's tree.

#include "core/chat/ConversationBranches.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {

MessageRecord record(qint64 id, qint64 parentId, const QString &role = u"assistant"_s)
{
    MessageRecord message;
    message.id = id;
    message.parentId = parentId;
    message.role = role;
    message.content = u"m%1"_s.arg(id);
    return message;
}

/// 1 (question) ─┬─ 2 (answer v1) ── 4 (follow-up) ── 5 (its answer)
///               └─ 3 (answer v2)
ConversationBranches sample()
{
    return ConversationBranches({record(1, 0, u"user"_s), record(2, 1), record(3, 1), record(4, 2, u"user"_s), record(5, 4)});
}

} // namespace

class TestConversationBranches : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void opensOnTheActiveLeafOrTheNewest()
    {
        const ConversationBranches branches = sample();
        QCOMPARE(branches.openingLeaf(3), 3);
        QCOMPARE(branches.openingLeaf(5), 5);
        QCOMPARE(branches.openingLeaf(0), 3);   // none saved: the newest leaf
        QCOMPARE(branches.openingLeaf(999), 3); // a leaf of another conversation
        QCOMPARE(ConversationBranches().openingLeaf(0), 0);
    }

    void versionsOfSavedAndUnsavedMessages()
    {
        const ConversationBranches branches = sample();
        QCOMPARE(branches.versionsOf(record(2, 1), 1), (MessageVersions{1, 2}));
        QCOMPARE(branches.versionsOf(record(3, 1), 1), (MessageVersions{2, 2}));
        QCOMPARE(branches.versionsOf(record(1, 0, u"user"_s), 0), (MessageVersions{1, 1}));
        // A new answer to 1 while its turn starts: the third version.
        QCOMPARE(branches.versionsOf(record(0, 1), 1), (MessageVersions{3, 3}));
        // A new first question: a second root.
        QCOMPARE(branches.versionsOf(record(0, 0, u"user"_s), 0), (MessageVersions{2, 2}));
        // An answer whose question is not saved yet.
        QCOMPARE(branches.versionsOf(record(0, 0), 3), (MessageVersions{1, 1}));
    }

    void aVersionLeadsToItsNewestLeaf()
    {
        const ConversationBranches branches = sample();
        QCOMPARE(branches.leafOfVersion(3, 1), 5); // version 1 continues to the follow-up
        QCOMPARE(branches.leafOfVersion(2, 2), 3);
        QCOMPARE(branches.leafOfVersion(2, 1), 0); // already shown
        QCOMPARE(branches.leafOfVersion(2, 3), 0);
        QCOMPARE(branches.leafOfVersion(2, 0), 0);
        QCOMPARE(branches.leafOfVersion(999, 1), 0);
    }

    void rememberAndForgetKeepTheTreeInStep()
    {
        ConversationBranches branches = sample();
        MessageRecord finished = record(3, 1);
        finished.content = u"final text"_s;
        branches.remember(finished);
        QCOMPARE(branches.tree().message(3)->content, u"final text"_s);
        branches.remember(record(6, 1));
        QCOMPARE(branches.versionsOf(record(6, 1), 1), (MessageVersions{3, 3}));

        QCOMPARE(branches.parentOf(2), 1);
        QCOMPARE(branches.parentOf(1), 0);
        branches.forget({2, 4, 5});
        QVERIFY(!branches.tree().contains(4));
        QCOMPARE(branches.leafAfterDelete(1), 6); // the newest remaining sibling
        branches.forget({3, 6});
        QCOMPARE(branches.leafAfterDelete(1), 1); // no sibling left: the parent itself
        branches.forget({1});
        QCOMPARE(branches.leafAfterDelete(0), 0);
    }

    void aDeletedRootLeavesTheNewestRoot()
    {
        ConversationBranches branches({record(1, 0, u"user"_s), record(2, 1), record(3, 0, u"user"_s), record(4, 3),
                                       record(5, 0, u"user"_s)});
        branches.forget({5});
        QCOMPARE(branches.leafAfterDelete(0), 4);
    }
};

QTEST_GUILESS_MAIN(TestConversationBranches)
#include "tst_conversationbranches.moc"
