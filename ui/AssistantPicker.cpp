#include "ui/AssistantPicker.h"

#include "core/chat/AssistantCatalog.h"

#include <QComboBox>
#include <QHBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
/// The "Manage assistants…" entry carries no id.
constexpr qint64 kManageEntry = -1;
} // namespace

AssistantPicker::AssistantPicker(AssistantCatalog *catalog, QWidget *parent)
    : QWidget(parent)
    , m_catalog(catalog)
    , m_combo(new QComboBox(this))
{
    m_combo->setObjectName(u"assistantPicker"_s);
    m_combo->setToolTip(tr("The assistant of this chat: its prompt, documents and model"));
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_combo->setMaximumWidth(260);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_combo);

    m_current = catalog ? catalog->forNewChats() : Assistant::makeDefault();
    repopulate();
    connect(m_combo, &QComboBox::activated, this, &AssistantPicker::onActivated);
    if (catalog)
        connect(catalog, &AssistantCatalog::assistantsChanged, this, &AssistantPicker::repopulate);
}

Assistant AssistantPicker::assistant() const
{
    return m_current;
}

bool AssistantPicker::contains(qint64 id) const
{
    return m_catalog && m_catalog->find(id).has_value();
}

void AssistantPicker::select(qint64 id)
{
    const auto found = m_catalog ? m_catalog->find(id) : std::nullopt;
    m_current = found ? *found : (m_catalog ? m_catalog->forNewChats() : Assistant::makeDefault());
    const QSignalBlocker blocker(m_combo);
    m_combo->setCurrentIndex(qMax(0, m_combo->findData(m_current.id)));
}

void AssistantPicker::repopulate()
{
    const QSignalBlocker blocker(m_combo);
    m_combo->clear();
    const QList<Assistant> assistants = m_catalog ? m_catalog->assistants() : QList<Assistant>();
    for (const Assistant &assistant : assistants)
        m_combo->addItem(assistant.name, assistant.id);
    if (assistants.isEmpty())
        m_combo->addItem(m_current.name, m_current.id);
    m_combo->insertSeparator(m_combo->count());
    m_combo->addItem(tr("Manage assistants…"), kManageEntry);

    // The tab keeps its assistant across a reload; a deleted one gives way to the default.
    const Assistant before = m_current;
    const auto still = m_catalog ? m_catalog->find(before.id) : std::nullopt;
    if (still)
        m_current = *still;
    else if (!assistants.isEmpty())
        m_current = m_catalog->forNewChats();
    m_combo->setCurrentIndex(qMax(0, m_combo->findData(m_current.id)));
    if (!(m_current == before))
        Q_EMIT assistantChanged(m_current);
}

void AssistantPicker::onActivated(int index)
{
    if (m_combo->itemData(index).toLongLong() == kManageEntry) {
        // The entry is an action, not a choice: show the assistant again, then open the dialog.
        m_combo->setCurrentIndex(qMax(0, m_combo->findData(m_current.id)));
        Q_EMIT manageRequested();
        return;
    }
    const auto chosen = m_catalog ? m_catalog->find(m_combo->itemData(index).toLongLong()) : std::nullopt;
    if (!chosen || *chosen == m_current)
        return;
    m_current = *chosen;
    Q_EMIT assistantChanged(m_current);
}

} // namespace ragdesk
