#include "ui/AssistantsDialog.h"

#include "ui/AssistantEditor.h"
#include "ui/UniqueName.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
/// "NAME (copy)", then "NAME (copy 2)": the names AssistantStore::duplicate() gives too.
QString copyName(const QString &name, const QStringList &taken)
{
    QString candidate = AssistantsDialog::tr("%1 (copy)").arg(name);
    for (int n = 2; taken.contains(candidate, Qt::CaseInsensitive); ++n)
        candidate = AssistantsDialog::tr("%1 (copy %2)").arg(name).arg(n);
    return candidate;
}
} // namespace

AssistantsDialog::AssistantsDialog(QList<Assistant> assistants, QList<KnowledgeBase> knowledgeBases,
    QList<ProviderSettings> providers, QWidget *parent)
    : QDialog(parent)
    , m_assistants(std::move(assistants))
    , m_list(new QListWidget(this))
    , m_add(new QPushButton(tr("&New"), this))
    , m_duplicate(new QPushButton(tr("D&uplicate"), this))
    , m_remove(new QPushButton(tr("&Delete"), this))
    , m_makeDefault(new QPushButton(tr("Use for new &chats"), this))
    , m_editor(new AssistantEditor(std::move(knowledgeBases), std::move(providers), this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Assistants"));
    setObjectName(u"assistantsDialog"_s);
    m_list->setObjectName(u"assistantList"_s);
    m_list->setMinimumWidth(180);
    m_add->setObjectName(u"addAssistantButton"_s);
    m_add->setToolTip(tr("Create an assistant (Ctrl+N)"));
    m_duplicate->setObjectName(u"duplicateAssistantButton"_s);
    m_remove->setObjectName(u"removeAssistantButton"_s);
    m_remove->setToolTip(tr("Delete the selected assistant (Del); its conversations stay"));
    m_makeDefault->setObjectName(u"defaultAssistantButton"_s);
    m_makeDefault->setToolTip(tr("New chats start with the first assistant of the list"));
    m_problem->setObjectName(u"assistantProblem"_s);
    m_problem->setWordWrap(true);
    QPalette problemPalette = m_problem->palette();
    problemPalette.setColor(QPalette::WindowText, QColor(0xc0, 0x39, 0x2b));
    m_problem->setPalette(problemPalette);
    m_problem->hide();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_duplicate);
    buttons->addWidget(m_remove);
    auto *left = new QVBoxLayout;
    left->addWidget(m_list, 1);
    left->addLayout(buttons);
    left->addWidget(m_makeDefault);

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_editor);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->viewport()->setAutoFillBackground(false);
    m_editor->setAutoFillBackground(false);

    auto *columns = new QHBoxLayout;
    columns->addLayout(left);
    columns->addSpacing(8);
    columns->addWidget(scroll, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    resize(860, 640);

    connect(m_add, &QPushButton::clicked, this, &AssistantsDialog::addAssistant);
    connect(new QShortcut(QKeySequence::New, this), &QShortcut::activated, this, &AssistantsDialog::addAssistant);
    connect(m_duplicate, &QPushButton::clicked, this, &AssistantsDialog::duplicateCurrent);
    connect(m_remove, &QPushButton::clicked, this, &AssistantsDialog::removeCurrent);
    connect(m_makeDefault, &QPushButton::clicked, this, &AssistantsDialog::makeCurrentDefault);
    // Del on the list deletes; a filter, not a window shortcut, so Del in a text field deletes text.
    m_list->installEventFilter(this);
    connect(m_list, &QListWidget::currentRowChanged, this, &AssistantsDialog::showRow);
    connect(m_editor, &AssistantEditor::nameChanged, this, [this] {
        storeEditor();
        refreshRow(m_shownRow);
        validate();
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    for (int row = 0; row < m_assistants.size(); ++row) {
        m_list->addItem(QString());
        refreshRow(row);
    }
    if (!m_assistants.isEmpty())
        m_list->setCurrentRow(0);
    else
        showRow(-1);
    validate();
}

QList<Assistant> AssistantsDialog::assistants() const
{
    QList<Assistant> result = m_assistants;
    if (m_shownRow >= 0 && m_shownRow < result.size())
        result[m_shownRow] = m_editor->assistant();
    return result;
}

void AssistantsDialog::select(qint64 id)
{
    for (int row = 0; row < m_assistants.size(); ++row) {
        if (m_assistants.at(row).id == id)
            m_list->setCurrentRow(row);
    }
}

void AssistantsDialog::addAssistant()
{
    Assistant assistant = Assistant::makeDefault();
    assistant.name = uniqueName(tr("New assistant"), namesOf(assistants()));
    insertAssistant(std::move(assistant));
}

void AssistantsDialog::duplicateCurrent()
{
    storeEditor();
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_assistants.size())
        return;
    Assistant copy = m_assistants.at(row);
    copy.id = 0;
    copy.name = copyName(copy.name, namesOf(m_assistants));
    insertAssistant(std::move(copy));
}

void AssistantsDialog::removeCurrent()
{
    const int row = m_list->currentRow();
    if (row < 0 || row >= m_assistants.size() || m_confirmation)
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete assistant"),
        tr("Delete the assistant \"%1\"? Its conversations stay.").arg(m_list->item(row)->text()),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(u"confirmRemoveAssistant"_s);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setWindowModality(Qt::WindowModal);
    box->setAttribute(Qt::WA_DeleteOnClose);
    m_confirmation = box;
    connect(box, &QMessageBox::finished, this, [this, row](int result) {
        if (result != QMessageBox::Yes || row >= m_assistants.size())
            return;
        m_shownRow = -1; // the editor shows the row that is going away: nothing to store back
        if (m_assistants.at(row).id > 0)
            m_removed.append(m_assistants.at(row).id);
        m_assistants.removeAt(row);
        delete m_list->takeItem(row);
        showRow(m_list->currentRow());
        validate();
    });
    box->open();
}

void AssistantsDialog::makeCurrentDefault()
{
    storeEditor();
    const int row = m_list->currentRow();
    if (row <= 0 || row >= m_assistants.size())
        return;
    m_assistants.move(row, 0);
    m_shownRow = -1;
    m_list->insertItem(0, m_list->takeItem(row));
    for (int r = 0; r < m_assistants.size(); ++r)
        refreshRow(r);
    m_list->setCurrentRow(0);
}

bool AssistantsDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_list && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Delete)) {
        removeCurrent();
        return true;
    }
    return QDialog::eventFilter(watched, event);
}

void AssistantsDialog::storeEditor()
{
    if (m_shownRow >= 0 && m_shownRow < m_assistants.size())
        m_assistants[m_shownRow] = m_editor->assistant();
}

void AssistantsDialog::showRow(int row)
{
    storeEditor();
    m_shownRow = -1; // setAssistant() emits nameChanged: nothing is stored back meanwhile
    const bool valid = row >= 0 && row < m_assistants.size();
    if (valid)
        m_editor->setAssistant(m_assistants.at(row));
    m_editor->setEnabled(valid);
    m_duplicate->setEnabled(valid);
    m_remove->setEnabled(valid);
    m_makeDefault->setEnabled(valid && row > 0);
    m_shownRow = valid ? row : -1;
}

void AssistantsDialog::refreshRow(int row)
{
    if (row < 0 || row >= m_assistants.size() || row >= m_list->count())
        return;
    const QString name = m_assistants.at(row).name;
    const QString shown = name.isEmpty() ? tr("(unnamed)") : name;
    m_list->item(row)->setText(row == 0 ? tr("%1 (new chats)").arg(shown) : shown);
}

void AssistantsDialog::insertAssistant(Assistant assistant)
{
    storeEditor();
    m_assistants.append(std::move(assistant));
    m_list->addItem(QString());
    refreshRow(int(m_assistants.size()) - 1);
    m_list->setCurrentRow(int(m_assistants.size()) - 1);
    validate();
}

void AssistantsDialog::validate()
{
    QString problem;
    const QList<Assistant> all = assistants();
    QStringList seen;
    for (const Assistant &assistant : all) {
        if (assistant.name.isEmpty()) {
            problem = tr("Every assistant needs a name.");
            break;
        }
        if (seen.contains(assistant.name, Qt::CaseInsensitive)) {
            problem = tr("Two assistants are named \"%1\"; names must differ.").arg(assistant.name);
            break;
        }
        seen.append(assistant.name);
    }
    if (all.isEmpty())
        problem = tr("Keep at least one assistant: new chats need one.");
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace ragdesk
