#include "core/chat/MessageTree.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {
MessageRecord node(qint64 id, qint64 parentId)
{
    MessageRecord record;
    record.id = id;
    record.parentId = parentId;
    record.content = u"m%1"_s.arg(id);
    return record;
}

QList<qint64> ids(const QList<MessageRecord> &records)
{
    QList<qint64> result;
    for (const MessageRecord &record : records)
        result.append(record.id);
    return result;
}

/// 1 (user) -> 2 (answer) -> 3 (user) -> 4 (answer)
///          -> 5 (regenerated answer) -> 6 (user) -> 8 (answer)
///          -> 7 (regenerated again)
/// handed over out of order, as nothing promises the order of rows.
MessageTree branching()
{
    return MessageTree({node(4, 3), node(1, 0), node(7, 1), node(2, 1), node(8, 6), node(3, 2), node(5, 1),
                        node(6, 5)});
}
} // namespace

class TestMessageTree : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyTree()
    {
        const MessageTree tree;
        QVERIFY(tree.isEmpty());
        QVERIFY(tree.path(1).isEmpty());
        QVERIFY(tree.children(0).isEmpty());
        QCOMPARE(tree.versionOf(1), MessageTree::Version{});
        QCOMPARE(tree.newestLeafUnder(1), 0);
        QCOMPARE(tree.latestLeaf(), 0);
    }

    void linearConversation()
    {
        const MessageTree tree({node(10, 0), node(11, 10), node(12, 11)});
        QCOMPARE(ids(tree.path(12)), (QList<qint64>{10, 11, 12}));
        QCOMPARE(tree.path(12).last().content, u"m12"_s);
        QCOMPARE(tree.latestLeaf(), 12);
        QCOMPARE(tree.versionOf(11), (MessageTree::Version{1, 1}));
        QCOMPARE(tree.siblings(11), QList<qint64>{11});
    }

    void pathsChildrenAndSiblings()
    {
        const MessageTree tree = branching();
        QCOMPARE(ids(tree.path(4)), (QList<qint64>{1, 2, 3, 4}));
        QCOMPARE(ids(tree.path(8)), (QList<qint64>{1, 5, 6, 8}));
        QCOMPARE(ids(tree.path(1)), QList<qint64>{1});
        QVERIFY(tree.path(99).isEmpty());
        QCOMPARE(tree.children(1), (QList<qint64>{2, 5, 7}));
        QCOMPARE(tree.children(0), QList<qint64>{1});
        QVERIFY(tree.children(4).isEmpty());
        QCOMPARE(tree.siblings(5), (QList<qint64>{2, 5, 7}));
        QCOMPARE(tree.siblings(1), QList<qint64>{1});
        QVERIFY(tree.siblings(99).isEmpty());
        QVERIFY(tree.message(6) && tree.message(6)->content == u"m6"_s);
        QVERIFY(!tree.message(99));
    }

    void versions()
    {
        const MessageTree tree = branching();
        QCOMPARE(tree.versionOf(2), (MessageTree::Version{1, 3}));
        QCOMPARE(tree.versionOf(5), (MessageTree::Version{2, 3}));
        QCOMPARE(tree.versionOf(7), (MessageTree::Version{3, 3}));
        QCOMPARE(tree.versionOf(8), (MessageTree::Version{1, 1}));
        QCOMPARE(tree.versionOf(99), MessageTree::Version{});
    }

    void newestLeaves()
    {
        const MessageTree tree = branching();
        QCOMPARE(tree.newestLeafUnder(1), 7); // the newest child has no children of its own
        QCOMPARE(tree.newestLeafUnder(5), 8);
        QCOMPARE(tree.newestLeafUnder(2), 4);
        QCOMPARE(tree.newestLeafUnder(4), 4);
        QCOMPARE(tree.newestLeafUnder(99), 0);
        QCOMPARE(tree.latestLeaf(), 7);

        // Several roots (an edited first question): the newest root's branch.
        const MessageTree edited({node(1, 0), node(2, 1), node(3, 0), node(4, 3), node(5, 2)});
        QCOMPARE(tree.children(0).size(), 1);
        QCOMPARE(edited.children(0), (QList<qint64>{1, 3}));
        QCOMPARE(edited.versionOf(3), (MessageTree::Version{2, 2}));
        QCOMPARE(edited.latestLeaf(), 4);
    }

    void orphansBecomeRoots()
    {
        // 2's parent was deleted outside the app; 3 names itself; id 0 is not a stored message.
        const MessageTree tree({node(1, 0), node(2, 42), node(3, 3), node(4, 2), node(0, 1)});
        QCOMPARE(tree.children(0), (QList<qint64>{1, 2, 3}));
        QCOMPARE(ids(tree.path(4)), (QList<qint64>{2, 4}));
        QCOMPARE(ids(tree.path(3)), QList<qint64>{3});
        QCOMPARE(tree.versionOf(2), (MessageTree::Version{2, 3}));
        QVERIFY(!tree.contains(0));
        QCOMPARE(tree.latestLeaf(), 3);
    }

    void cyclesNeverLoop()
    {
        // 2 -> 3 -> 4 -> 2: no root among them; 1 is a sound root beside the cycle.
        const MessageTree tree({node(1, 0), node(2, 4), node(3, 2), node(4, 3)});
        const QList<MessageRecord> path = tree.path(4);
        QCOMPARE(path.size(), 3);
        QCOMPARE(path.last().id, 4);
        QVERIFY(tree.newestLeafUnder(2) != 0);
        QCOMPARE(tree.latestLeaf(), 1);

        // Nothing but a cycle: still an answer, and no hang.
        const MessageTree onlyCycle({node(5, 6), node(6, 5)});
        QVERIFY(onlyCycle.children(0).isEmpty());
        QVERIFY(onlyCycle.contains(onlyCycle.latestLeaf()));
        QCOMPARE(onlyCycle.path(5).size(), 2);
    }

    void duplicateIdsKeepTheFirst()
    {
        MessageRecord again = node(2, 1);
        again.content = u"duplicate"_s;
        const MessageTree tree({node(1, 0), node(2, 1), again});
        QCOMPARE(tree.children(1), QList<qint64>{2});
        QCOMPARE(tree.message(2)->content, u"m2"_s);
    }
};

QTEST_GUILESS_MAIN(TestMessageTree)
#include "tst_messagetree.moc"
