#include "ui/ConversationListPanel.h"

#include "core/foundation/Detach.h"
#include "core/storage/ConversationStore.h"

#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
constexpr int kTitleRole = Qt::UserRole + 2;
} // namespace

ConversationListPanel::ConversationListPanel(ConversationStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_list(new QListWidget(this))
    , m_emptyHint(new QLabel(tr("Your conversations will appear here."), this))
{
    setObjectName(u"conversationListPanel"_s);
    m_list->setObjectName(u"conversationList"_s);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setUniformItemSizes(true);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setFrameShape(QFrame::NoFrame);
    // Long titles are elided, never scrolled sideways.
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setSpacing(1);
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setForegroundRole(QPalette::PlaceholderText);
    m_emptyHint->setAlignment(Qt::AlignTop | Qt::AlignHCenter);

    auto *newChat = new QPushButton(tr("New chat"), this);
    newChat->setObjectName(u"sidebarNewChat"_s);
    newChat->setToolTip(tr("Start a new conversation (Ctrl+T)"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(8);
    layout->addWidget(newChat);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_emptyHint, 1);
    m_list->hide();

    connect(newChat, &QPushButton::clicked, this, &ConversationListPanel::newChatRequested);
    const auto open = [this](QListWidgetItem *item) {
        Q_EMIT openRequested(item->data(kIdRole).toLongLong(), item->data(kTitleRole).toString());
    };
    connect(m_list, &QListWidget::itemClicked, this, open);
    connect(m_list, &QListWidget::itemActivated, this, open);
    connect(m_list, &QWidget::customContextMenuRequested, this, &ConversationListPanel::showContextMenu);
}

int ConversationListPanel::conversationCount() const
{
    return m_list->count();
}

void ConversationListPanel::refresh()
{
    if (m_loading) {
        m_reloadQueued = true;
        return;
    }
    ragdesk::detach(reload(), "ConversationListPanel::reload");
}

QCoro::Task<> ConversationListPanel::reload()
{
    m_loading = true;
    QPointer<ConversationListPanel> self(this);
    ConversationStore *store = m_store;
    const auto conversations = co_await store->listConversations();
    if (!self)
        co_return;
    m_loading = false;

    if (conversations) {
        const QLocale locale;
        m_list->clear();
        for (const Conversation &conversation : *conversations) {
            const QString title = conversation.title.isEmpty() ? tr("Untitled") : conversation.title;
            auto *item = new QListWidgetItem(title, m_list);
            item->setData(kIdRole, conversation.id);
            item->setData(kTitleRole, conversation.title);
            item->setToolTip(
                tr("%1\nLast message: %2")
                    .arg(title, locale.toString(conversation.updatedAt.toLocalTime(), QLocale::ShortFormat)));
        }
        m_list->setVisible(m_list->count() > 0);
        m_emptyHint->setVisible(m_list->count() == 0);
        selectCurrent();
    } else {
        m_emptyHint->setText(tr("Could not load the conversations: %1").arg(conversations.error().message));
        m_emptyHint->show();
    }
    ++m_loads;
    Q_EMIT loaded();

    if (m_reloadQueued) {
        m_reloadQueued = false;
        refresh();
    }
}

void ConversationListPanel::setCurrentConversation(qint64 id)
{
    m_currentId = id;
    selectCurrent();
}

void ConversationListPanel::selectCurrent()
{
    const QSignalBlocker blocker(m_list);
    m_list->clearSelection();
    for (int row = 0; row < m_list->count(); ++row) {
        QListWidgetItem *item = m_list->item(row);
        if (m_currentId != 0 && item->data(kIdRole).toLongLong() == m_currentId) {
            m_list->setCurrentItem(item);
            return;
        }
    }
    m_list->setCurrentItem(nullptr);
}

void ConversationListPanel::showContextMenu(const QPoint &pos)
{
    QListWidgetItem *item = m_list->itemAt(pos);
    if (!item)
        return;
    const qint64 id = item->data(kIdRole).toLongLong();
    const QString title = item->data(kTitleRole).toString();
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(tr("Open"), this, [this, id, title] { Q_EMIT openRequested(id, title); });
    menu->addSeparator();
    menu->addAction(tr("Delete…"), this, [this, id, title] { confirmDelete(id, title); });
    // popup(), not exec(): no nested event loop while the menu is open.
    menu->popup(m_list->viewport()->mapToGlobal(pos));
}

void ConversationListPanel::confirmDelete(qint64 id, const QString &title)
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Delete conversation"),
        tr("Delete “%1” and all its messages? This cannot be undone.").arg(title), QMessageBox::NoButton, this);
    box->setObjectName(u"confirmDeleteBox"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *remove = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::finished, this, [this, box, remove, id] {
        if (box->clickedButton() == remove)
            Q_EMIT deleteRequested(id);
    });
    // open(), not exec(): the other tabs keep streaming while the question is asked.
    box->open();
}

} // namespace ragdesk
