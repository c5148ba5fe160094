// AssistantCatalog: the first start gets the default assistant, saves replace the list and
// announce it, and lookups by id and name find what the store holds.

#include "core/chat/AssistantCatalog.h"
#include "core/storage/AssistantStore.h"
#include "tests/support/OpenedProfile.h"

#include <QCoroTask>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestAssistantCatalog : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::OpenedProfile> m_profile;
    std::shared_ptr<ProfileDatabase> m_database;

private Q_SLOTS:
    void init()
    {
        m_profile = std::make_unique<testing::OpenedProfile>();
        QVERIFY2(m_profile->isValid(), qPrintable(m_profile->errorText()));
        m_database = m_profile->database();
    }

    void cleanup()
    {
        m_database.reset();
        m_profile.reset();
    }

    void beforeLoadingNewChatsGetTheBuiltInDefault()
    {
        AssistantCatalog catalog(std::make_shared<AssistantStore>(m_database));
        QVERIFY(catalog.assistants().isEmpty());
        QCOMPARE(catalog.forNewChats(), Assistant::makeDefault());
    }

    void firstLoadCreatesTheDefaultOnce()
    {
        AssistantCatalog catalog(std::make_shared<AssistantStore>(m_database));
        QSignalSpy changed(&catalog, &AssistantCatalog::assistantsChanged);
        QVERIFY(QCoro::waitFor(catalog.load()).has_value());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(catalog.assistants().size(), 1);
        const Assistant stored = catalog.assistants().first();
        QVERIFY(stored.id > 0);
        QCOMPARE(stored.name, Assistant::makeDefault().name);
        QCOMPARE(catalog.forNewChats(), stored);

        AssistantCatalog again(std::make_shared<AssistantStore>(m_database));
        QVERIFY(QCoro::waitFor(again.load()).has_value());
        QCOMPARE(again.assistants(), catalog.assistants());
    }

    void saveReplacesTheListAndFindsByIdAndName()
    {
        AssistantCatalog catalog(std::make_shared<AssistantStore>(m_database));
        QVERIFY(QCoro::waitFor(catalog.load()).has_value());
        const qint64 defaultId = catalog.assistants().first().id;
        Assistant legal;
        legal.name = u"Legal"_s;
        legal.model = u"big"_s;
        QSignalSpy changed(&catalog, &AssistantCatalog::assistantsChanged);
        QVERIFY(QCoro::waitFor(catalog.save({legal}, {defaultId})).has_value());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(catalog.assistants().size(), 1);
        const auto found = catalog.findByName(u"  legal "_s);
        QVERIFY(found.has_value());
        QCOMPARE(found->model, u"big"_s);
        QCOMPARE(catalog.find(found->id)->name, u"Legal"_s);
        QVERIFY(!catalog.find(987654).has_value());
        QVERIFY(!catalog.findByName(u"Document assistant"_s).has_value());
        QCOMPARE(catalog.forNewChats().id, found->id);

        // A refused save leaves the list as it was.
        Assistant blank;
        QVERIFY(!QCoro::waitFor(catalog.save({blank}, {})).has_value());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(catalog.assistants().first().name, u"Legal"_s);
    }
};

QTEST_GUILESS_MAIN(TestAssistantCatalog)
#include "tst_assistantcatalog.moc"
