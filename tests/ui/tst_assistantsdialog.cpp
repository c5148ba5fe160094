// AssistantsDialog and AssistantEditor: every setting survives the form, names stay unique,
// deleting asks first and remembers what to remove, and the first assistant is the default.

#include "ui/AssistantEditor.h"
#include "ui/AssistantsDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace ragdesk;

namespace {

QList<KnowledgeBase> bases()
{
    KnowledgeBase manuals;
    manuals.id = 4;
    manuals.name = u"Manuals"_s;
    KnowledgeBase papers;
    papers.id = 9;
    papers.name = u"Papers"_s;
    return {manuals, papers};
}

QList<ProviderSettings> providers()
{
    ProviderSettings local;
    local.id = u"local-id"_s;
    local.name = u"Local"_s;
    ProviderSettings cloud;
    cloud.id = u"cloud-id"_s;
    cloud.name = u"Cloud"_s;
    return {local, cloud};
}

Assistant stored(qint64 id, const QString &name)
{
    Assistant assistant = Assistant::makeDefault();
    assistant.id = id;
    assistant.name = name;
    return assistant;
}

QPushButton *okButton(const AssistantsDialog &dialog)
{
    return dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
}

} // namespace

class TestAssistantsDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyFieldSurvivesTheEditor()
    {
        AssistantEditor editor(bases(), providers());
        Assistant assistant;
        assistant.id = 17;
        assistant.name = u"Legal"_s;
        assistant.systemPrompt = u"Answer like a lawyer.\nBriefly."_s;
        assistant.allKnowledgeBases = false;
        assistant.knowledgeBaseIds = {9};
        assistant.providerId = u"cloud-id"_s;
        assistant.model = u"big-model"_s;
        assistant.temperature = 0.25;
        assistant.topN = 12;
        assistant.similarityThreshold = 0.35;
        assistant.fusion = FusionMethod::ReciprocalRank;
        assistant.keywordWeight = 0.4;
        assistant.rerank = true;
        assistant.onEmpty = EmptyRetrieval::ReplyWithText;
        assistant.emptyResponse = u"Nothing in the files."_s;
        assistant.citations = false;
        assistant.refineQuestion = false;
        assistant.contextTokens = 32768;
        editor.setAssistant(assistant);
        QCOMPARE(editor.assistant(), assistant);

        // The controls that depend on others follow them.
        QVERIFY(editor.findChild<QListWidget *>(u"assistantBases"_s)->isEnabled());
        QVERIFY(editor.findChild<QLineEdit *>(u"assistantEmptyResponse"_s)->isEnabled());
        QVERIFY(!editor.findChild<QWidget *>(u"assistantKeywordWeight"_s)->isEnabled());
        editor.findChild<QCheckBox *>(u"assistantAllBases"_s)->setChecked(true);
        QVERIFY(!editor.findChild<QListWidget *>(u"assistantBases"_s)->isEnabled());
        QVERIFY(editor.assistant().allKnowledgeBases);
        QVERIFY(editor.assistant().retrievalOptions().knowledgeBaseIds.isEmpty()); // every one
    }

    void aRemovedProviderShowsAsTheDefault()
    {
        AssistantEditor editor(bases(), providers());
        Assistant assistant = stored(1, u"A"_s);
        assistant.providerId = u"gone-id"_s;
        editor.setAssistant(assistant);
        QCOMPARE(editor.findChild<QComboBox *>(u"assistantProvider"_s)->currentIndex(), 0);
        QCOMPARE(editor.assistant().providerId, QString());
    }

    void newAndDuplicateGetUniqueNames()
    {
        AssistantsDialog dialog({stored(1, u"Research"_s)}, bases(), providers());
        dialog.addAssistant();
        dialog.addAssistant();
        dialog.select(1);
        dialog.duplicateCurrent();
        dialog.select(1); // the copy is now selected; duplicate the original again
        dialog.duplicateCurrent();
        QStringList names;
        for (const Assistant &assistant : dialog.assistants())
            names.append(assistant.name);
        QCOMPARE(names, (QStringList{u"Research"_s, u"New assistant"_s, u"New assistant 2"_s,
                                     u"Research (copy)"_s, u"Research (copy 2)"_s}));
        QCOMPARE(dialog.assistants().at(3).id, 0); // a copy is stored as a new assistant
        QVERIFY(okButton(dialog)->isEnabled());
    }

    void duplicateOrEmptyNamesBlockOk()
    {
        AssistantsDialog dialog({stored(1, u"One"_s), stored(2, u"Two"_s)}, bases(), providers());
        dialog.show();
        dialog.select(2);
        auto *name = dialog.findChild<QLineEdit *>(u"assistantName"_s);
        name->setText(u"one"_s);
        auto *problem = dialog.findChild<QLabel *>(u"assistantProblem"_s);
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY(problem->isVisible());
        QVERIFY2(problem->text().contains(u"one"_s), qPrintable(problem->text()));
        name->clear();
        QVERIFY(!okButton(dialog)->isEnabled());
        QVERIFY(problem->text().contains(u"needs a name"_s));
        name->setText(u"Three"_s);
        QVERIFY(okButton(dialog)->isEnabled());
        QVERIFY(!problem->isVisible());
        QCOMPARE(dialog.list()->item(1)->text(), u"Three"_s);
    }

    void deleteAsksThenRemembersTheStoredId()
    {
        AssistantsDialog dialog({stored(1, u"One"_s), stored(2, u"Two"_s)}, bases(), providers());
        dialog.show();
        dialog.select(2);
        dialog.removeCurrent();
        QTRY_VERIFY(dialog.confirmation());
        dialog.confirmation()->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(!dialog.confirmation());
        QCOMPARE(dialog.assistants().size(), 2);

        dialog.select(2);
        QTest::keyClick(dialog.list(), Qt::Key_Delete);
        QTRY_VERIFY(dialog.confirmation());
        dialog.confirmation()->button(QMessageBox::Yes)->click();
        QTRY_COMPARE(dialog.assistants().size(), 1);
        QCOMPARE(dialog.assistants().first().name, u"One"_s);
        QCOMPARE(dialog.removedIds(), QList<qint64>{2});
        QTRY_VERIFY(!dialog.confirmation());

        // The last one cannot go: new chats need an assistant.
        dialog.removeCurrent();
        QTRY_VERIFY(dialog.confirmation());
        dialog.confirmation()->button(QMessageBox::Yes)->click();
        QTRY_VERIFY(dialog.assistants().isEmpty());
        QVERIFY(!okButton(dialog)->isEnabled());
    }

    void useForNewChatsMovesToTheTop()
    {
        AssistantsDialog dialog({stored(1, u"One"_s), stored(2, u"Two"_s)}, bases(), providers());
        dialog.select(2);
        dialog.editor()->findChild<QLineEdit *>(u"assistantModel"_s)->setText(u"m2"_s);
        dialog.makeCurrentDefault();
        const QList<Assistant> all = dialog.assistants();
        QCOMPARE(all.at(0).id, 2);
        QCOMPARE(all.at(0).model, u"m2"_s); // the pending edit moved with it
        QCOMPARE(all.at(1).id, 1);
        QCOMPARE(dialog.list()->item(0)->text(), u"Two (new chats)"_s);
        QCOMPARE(dialog.list()->item(1)->text(), u"One"_s);
    }
};

QTEST_MAIN(TestAssistantsDialog)
#include "tst_assistantsdialog.moc"
