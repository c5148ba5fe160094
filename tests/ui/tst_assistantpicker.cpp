// AssistantPicker: lists the catalog's assistants, opens the dialog from its last entry, and
// follows the catalog when the chosen assistant is renamed or deleted.

#include "core/chat/AssistantCatalog.h"
#include "core/storage/AssistantStore.h"
#include "tests/support/OpenedProfile.h"
#include "ui/AssistantPicker.h"

#include <QComboBox>
#include <QCoroTask>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

class TestAssistantPicker : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::OpenedProfile> m_profile;
    std::shared_ptr<ProfileDatabase> m_database;
    std::unique_ptr<AssistantCatalog> m_catalog;

    static Assistant named(const QString &name)
    {
        Assistant assistant;
        assistant.name = name;
        return assistant;
    }

private Q_SLOTS:
    void init()
    {
        m_profile = std::make_unique<testing::OpenedProfile>();
        QVERIFY2(m_profile->isValid(), qPrintable(m_profile->errorText()));
        m_database = m_profile->database();
        m_catalog = std::make_unique<AssistantCatalog>(std::make_shared<AssistantStore>(m_database));
        QVERIFY(QCoro::waitFor(m_catalog->load()).has_value());
        const QList<Assistant> withOthers{m_catalog->assistants().first(), named(u"Legal"_s), named(u"Code"_s)};
        QVERIFY(QCoro::waitFor(m_catalog->save(withOthers, {})).has_value());
    }

    void cleanup()
    {
        m_catalog.reset();
        m_database.reset();
        m_profile.reset();
    }

    void listsAssistantsThenManage()
    {
        AssistantPicker picker(m_catalog.get());
        QComboBox *combo = picker.combo();
        QCOMPARE(combo->count(), 5); // three assistants, a separator, Manage
        QCOMPARE(combo->itemText(1), u"Legal"_s);
        QCOMPARE(combo->itemText(4), u"Manage assistants…"_s);
        QCOMPARE(picker.assistant(), m_catalog->forNewChats());

        QSignalSpy changed(&picker, &AssistantPicker::assistantChanged);
        QSignalSpy manage(&picker, &AssistantPicker::manageRequested);
        combo->setCurrentIndex(2);
        Q_EMIT combo->activated(2);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().first().value<Assistant>().name, u"Code"_s);
        QCOMPARE(picker.assistant().name, u"Code"_s);

        combo->setCurrentIndex(4);
        Q_EMIT combo->activated(4);
        QCOMPARE(manage.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(combo->currentText(), u"Code"_s); // the entry is an action, not a choice
    }

    void followsRenamesAndDeletion()
    {
        AssistantPicker picker(m_catalog.get());
        const Assistant legal = *m_catalog->findByName(u"Legal"_s);
        picker.select(legal.id);
        QCOMPARE(picker.combo()->currentText(), u"Legal"_s);
        QSignalSpy changed(&picker, &AssistantPicker::assistantChanged);

        QList<Assistant> renamed = m_catalog->assistants();
        renamed[1].name = u"Law"_s;
        renamed[1].topN = 2;
        QVERIFY(QCoro::waitFor(m_catalog->save(renamed, {})).has_value());
        QCOMPARE(picker.combo()->currentText(), u"Law"_s);
        QCOMPARE(changed.count(), 1); // its settings changed: the tab must take them
        QCOMPARE(picker.assistant().topN, 2);

        QList<Assistant> without = m_catalog->assistants();
        without.removeAt(1);
        QVERIFY(QCoro::waitFor(m_catalog->save(without, {legal.id})).has_value());
        QCOMPARE(changed.count(), 2);
        QCOMPARE(picker.assistant(), m_catalog->forNewChats());
        QCOMPARE(picker.combo()->currentText(), m_catalog->forNewChats().name);
    }
};

QTEST_MAIN(TestAssistantPicker)
#include "tst_assistantpicker.moc"
