#include "ui/ConversationListPanel.h"

#include "core/foundation/Detach.h"
#include "core/storage/ConversationStore.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
constexpr int kTitleRole = Qt::UserRole + 2;
constexpr int kPinnedRole = Qt::UserRole + 3;
constexpr int kSearchLimit = 100;
constexpr qsizetype kSnippetChars = 90;

QString shownTitle(const QString &title)
{
    return title.isEmpty() ? ConversationListPanel::tr("Untitled") : title;
}
} // namespace

ConversationListPanel::ConversationListPanel(ConversationStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_search(new QLineEdit(this))
    , m_list(new QListWidget(this))
    , m_emptyHint(new QLabel(tr("Your conversations will appear here."), this))
    , m_undoBar(new QWidget(this))
    , m_undoText(new QLabel(m_undoBar))
    , m_undo(new QPushButton(tr("&Undo"), m_undoBar))
{
    setObjectName(u"conversationListPanel"_s);
    m_search->setObjectName(u"conversationSearch"_s);
    m_search->setPlaceholderText(tr("Search conversations (Ctrl+K)"));
    m_search->setClearButtonEnabled(true);
    m_list->setObjectName(u"conversationList"_s);
    m_list->setContextMenuPolicy(Qt::CustomContextMenu);
    m_list->setTextElideMode(Qt::ElideRight);
    m_list->setFrameShape(QFrame::NoFrame);
    // Long titles are elided, never scrolled sideways.
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setSpacing(1);
    // Titles are edited only on purpose (F2 or Rename), never by a slow double click.
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->installEventFilter(this);
    m_emptyHint->setWordWrap(true);
    m_emptyHint->setForegroundRole(QPalette::PlaceholderText);
    m_emptyHint->setAlignment(Qt::AlignTop | Qt::AlignHCenter);

    m_undoBar->setObjectName(u"undoBar"_s);
    m_undo->setObjectName(u"undoDeleteButton"_s);
    m_undoText->setWordWrap(true);
    auto *undoLayout = new QHBoxLayout(m_undoBar);
    undoLayout->setContentsMargins(0, 0, 0, 0);
    undoLayout->addWidget(m_undoText, 1);
    undoLayout->addWidget(m_undo);
    m_undoBar->hide();
    m_undoTimer.setSingleShot(true);
    m_undoTimer.setInterval(kUndoTime);
    connect(&m_undoTimer, &QTimer::timeout, m_undoBar, &QWidget::hide);
    connect(m_undo, &QPushButton::clicked, this, [this] {
        m_undoBar->hide();
        m_undoTimer.stop();
        ragdesk::detach(restore(m_undoId), "ConversationListPanel::restore");
    });

    auto *newChat = new QPushButton(tr("New chat"), this);
    newChat->setObjectName(u"sidebarNewChat"_s);
    newChat->setToolTip(tr("Start a new conversation (Ctrl+T)"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(8);
    layout->addWidget(newChat);
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_emptyHint, 1);
    layout->addWidget(m_undoBar);
    m_list->hide();

    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(kSearchDelay);
    connect(&m_searchDelay, &QTimer::timeout, this, &ConversationListPanel::refresh);
    connect(m_search, &QLineEdit::textChanged, &m_searchDelay, qOverload<>(&QTimer::start));
    connect(new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_K), this, nullptr, nullptr, Qt::WindowShortcut),
            &QShortcut::activated, this, &ConversationListPanel::focusSearch);
    connect(newChat, &QPushButton::clicked, this, &ConversationListPanel::newChatRequested);
    const auto open = [this](QListWidgetItem *item) {
        if (const qint64 id = item->data(kIdRole).toLongLong(); id > 0)
            Q_EMIT openRequested(id, item->data(kTitleRole).toString());
    };
    connect(m_list, &QListWidget::itemClicked, this, open);
    connect(m_list, &QListWidget::itemActivated, this, open);
    connect(m_list, &QListWidget::itemChanged, this, &ConversationListPanel::onItemChanged);
    connect(m_list, &QWidget::customContextMenuRequested, this, &ConversationListPanel::showContextMenu);
}

int ConversationListPanel::conversationCount() const
{
    int count = 0;
    for (int row = 0; row < m_list->count(); ++row)
        count += idAt(row) > 0 ? 1 : 0;
    return count;
}

qint64 ConversationListPanel::idAt(int row) const
{
    const QListWidgetItem *item = m_list->item(row);
    return item ? item->data(kIdRole).toLongLong() : 0;
}

void ConversationListPanel::refresh()
{
    if (m_loading) {
        m_reloadQueued = true;
        return;
    }
    ragdesk::detach(reload(), "ConversationListPanel::reload");
}

void ConversationListPanel::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

QCoro::Task<> ConversationListPanel::reload()
{
    m_loading = true;
    QPointer<ConversationListPanel> self(this);
    ConversationStore *store = m_store;
    const QString query = m_search->text().trimmed();
    std::optional<Result<QList<Conversation>>> listed;
    std::optional<Result<QList<ConversationSearchHit>>> found;
    if (query.isEmpty())
        listed = co_await store->listConversations();
    else
        found = co_await store->searchConversations(query, kSearchLimit);
    if (!self)
        co_return;
    m_loading = false;
    // Typed on meanwhile: these results answer an older query; the newer one runs next.
    if (query != m_search->text().trimmed())
        m_reloadQueued = true;

    const std::optional<Error> error = listed && !*listed ? std::optional<Error>((*listed).error())
        : found && !*found                                ? std::optional<Error>((*found).error())
                                                          : std::nullopt;
    if (error) {
        m_emptyHint->setText(tr("Could not load the conversations: %1").arg(error->message));
        m_list->hide();
        m_emptyHint->show();
    } else if (!m_reloadQueued) {
        m_filling = true;
        m_list->clear();
        const QLocale locale;
        if (listed) {
            const QList<Conversation> &conversations = **listed;
            const bool anyPinned = std::ranges::any_of(conversations, &Conversation::pinned);
            bool recentHeader = false;
            if (anyPinned)
                addHeader(tr("Pinned"));
            for (const Conversation &conversation : conversations) {
                if (anyPinned && !conversation.pinned && !recentHeader) {
                    addHeader(tr("Recent"));
                    recentHeader = true;
                }
                auto *item = new QListWidgetItem(shownTitle(conversation.title), m_list);
                item->setData(kIdRole, conversation.id);
                item->setData(kTitleRole, conversation.title);
                item->setData(kPinnedRole, conversation.pinned);
                item->setFlags(item->flags() | Qt::ItemIsEditable);
                item->setToolTip(tr("%1\nLast message: %2")
                                     .arg(shownTitle(conversation.title),
                                          locale.toString(conversation.updatedAt.toLocalTime(), QLocale::ShortFormat)));
            }
            m_emptyHint->setText(tr("Your conversations will appear here."));
        } else {
            for (const ConversationSearchHit &hit : **found) {
                QString snippet = hit.snippet.text.simplified();
                if (snippet.size() > kSnippetChars)
                    snippet = snippet.left(kSnippetChars) + u"…"_s;
                const QString title = shownTitle(hit.title.text);
                auto *item = new QListWidgetItem(snippet.isEmpty() ? title : title + u'\n' + snippet, m_list);
                item->setData(kIdRole, hit.conversationId);
                item->setData(kTitleRole, hit.title.text);
                item->setData(kPinnedRole, hit.pinned);
                item->setToolTip(hit.snippet.text.isEmpty() ? title : hit.snippet.text);
            }
            m_emptyHint->setText(tr("No conversation mentions “%1”.").arg(query));
        }
        m_filling = false;
        m_list->setVisible(m_list->count() > 0);
        m_emptyHint->setVisible(m_list->count() == 0);
        selectCurrent();
        ++m_loads;
        Q_EMIT loaded();
    }

    if (m_reloadQueued) {
        m_reloadQueued = false;
        refresh();
    }
}

QListWidgetItem *ConversationListPanel::addHeader(const QString &text)
{
    auto *header = new QListWidgetItem(text, m_list);
    header->setFlags(Qt::NoItemFlags);
    QFont font = header->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 0.9);
    header->setFont(font);
    header->setForeground(palette().color(QPalette::PlaceholderText));
    return header;
}

QString ConversationListPanel::titleOf(qint64 id) const
{
    const QListWidgetItem *item = itemFor(id);
    return item ? item->data(kTitleRole).toString() : QString();
}

QListWidgetItem *ConversationListPanel::itemFor(qint64 id) const
{
    for (int row = 0; row < m_list->count(); ++row) {
        if (idAt(row) == id)
            return m_list->item(row);
    }
    return nullptr;
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
    QListWidgetItem *item = m_currentId != 0 ? itemFor(m_currentId) : nullptr;
    m_list->setCurrentItem(item);
}

void ConversationListPanel::offerUndo(qint64 id, const QString &title)
{
    m_undoId = id;
    showNotice(tr("Deleted “%1”.").arg(shownTitle(title)), true);
}

void ConversationListPanel::showNotice(const QString &text, bool undoable)
{
    m_undoText->setText(text);
    m_undo->setVisible(undoable);
    m_undoBar->show();
    m_undoTimer.start();
}

QCoro::Task<> ConversationListPanel::restore(qint64 id)
{
    QPointer<ConversationListPanel> self(this);
    ConversationStore *store = m_store;
    const auto restored = co_await store->restoreConversation(id);
    if (!self)
        co_return;
    if (!restored) {
        showNotice(tr("Could not restore it: %1").arg(restored.error().message), false);
        co_return;
    }
    refresh();
}

void ConversationListPanel::setPinned(qint64 id, bool pinned)
{
    ragdesk::detach(storePinned(id, pinned), "ConversationListPanel::storePinned");
}

QCoro::Task<> ConversationListPanel::storePinned(qint64 id, bool pinned)
{
    QPointer<ConversationListPanel> self(this);
    ConversationStore *store = m_store;
    const auto stored = co_await store->setPinned(id, pinned);
    if (!self)
        co_return;
    if (!stored) {
        showNotice(tr("Could not pin it: %1").arg(stored.error().message), false);
        co_return;
    }
    refresh();
}

void ConversationListPanel::startRename(qint64 id)
{
    if (QListWidgetItem *item = itemFor(id); item && (item->flags() & Qt::ItemIsEditable)) {
        m_list->setCurrentItem(item);
        m_list->editItem(item);
    }
}

void ConversationListPanel::onItemChanged(QListWidgetItem *item)
{
    if (m_filling)
        return;
    const qint64 id = item->data(kIdRole).toLongLong();
    const QString before = item->data(kTitleRole).toString();
    const QString title = item->text().simplified();
    if (id <= 0 || title.isEmpty() || title == before) {
        const QSignalBlocker blocker(m_list);
        item->setText(shownTitle(before));
        return;
    }
    ragdesk::detach(rename(id, title), "ConversationListPanel::rename");
}

QCoro::Task<> ConversationListPanel::rename(qint64 id, QString title)
{
    QPointer<ConversationListPanel> self(this);
    ConversationStore *store = m_store;
    const auto renamed = co_await store->renameConversation(id, title);
    if (!self)
        co_return;
    if (renamed)
        Q_EMIT this->renamed(id, title);
    else
        showNotice(tr("Could not rename it: %1").arg(renamed.error().message), false);
    refresh();
}

bool ConversationListPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_list && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        QListWidgetItem *item = m_list->currentItem();
        const qint64 id = item ? item->data(kIdRole).toLongLong() : 0;
        if (id > 0 && key->matches(QKeySequence::Delete)) {
            Q_EMIT deleteRequested(id, item->data(kTitleRole).toString());
            return true;
        }
        if (id > 0 && key->key() == Qt::Key_F2) {
            startRename(id);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ConversationListPanel::showContextMenu(const QPoint &pos)
{
    QListWidgetItem *item = m_list->itemAt(pos);
    const qint64 id = item ? item->data(kIdRole).toLongLong() : 0;
    if (id <= 0)
        return;
    const QString title = item->data(kTitleRole).toString();
    const bool pinned = item->data(kPinnedRole).toBool();
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(tr("Open"), this, [this, id, title] { Q_EMIT openRequested(id, title); });
    QAction *rename = menu->addAction(tr("Rename"), this, [this, id] { startRename(id); });
    rename->setShortcut(QKeySequence(Qt::Key_F2));
    rename->setEnabled(item->flags() & Qt::ItemIsEditable);
    menu->addAction(pinned ? tr("Unpin") : tr("Pin to the top"), this, [this, id, pinned] { setPinned(id, !pinned); });
    menu->addSeparator();
    menu->addAction(tr("Export as Markdown…"), this,
                    [this, id] { Q_EMIT exportRequested(id, ConversationArchive::Format::Markdown); });
    menu->addAction(tr("Export as JSON…"), this,
                    [this, id] { Q_EMIT exportRequested(id, ConversationArchive::Format::Json); });
    menu->addSeparator();
    QAction *remove = menu->addAction(tr("Delete"), this, [this, id, title] { Q_EMIT deleteRequested(id, title); });
    remove->setShortcut(QKeySequence::Delete);
    // popup(), not exec(): no nested event loop while the menu is open.
    menu->popup(m_list->viewport()->mapToGlobal(pos));
}

} // namespace ragdesk
