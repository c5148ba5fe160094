#include "ui/ChunkBrowserDialog.h"

#include "core/ingest/TokenEstimator.h"
#include "core/foundation/Detach.h"
#include "core/storage/ChunkStore.h"
#include "ui/AppTheme.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
constexpr int kIndexRole = Qt::UserRole + 1;
constexpr int kFirstLineMax = 120;
} // namespace

ChunkBrowserDialog::ChunkBrowserDialog(std::shared_ptr<ChunkStore> chunks, DocumentRecord document, QWidget *parent)
    : QDialog(parent)
    , m_store(std::move(chunks))
    , m_document(std::move(document))
    , m_list(new QTreeWidget(this))
    , m_text(new QPlainTextEdit(this))
    , m_summary(new QLabel(this))
    , m_error(new QLabel(this))
    , m_edit(new QPushButton(tr("&Edit"), this))
    , m_save(new QPushButton(tr("&Save"), this))
    , m_cancel(new QPushButton(tr("Cancel Edit"), this))
{
    setObjectName(u"chunkBrowser"_s);
    setWindowTitle(tr("Chunks of %1").arg(QFileInfo(m_document.path).fileName()));
    setAttribute(Qt::WA_DeleteOnClose);
    // Non-modal: the user can keep browsing the panel, and chats keep streaming.
    setWindowModality(Qt::NonModal);
    resize(900, 600);

    m_list->setObjectName(u"chunkList"_s);
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setHeaderLabels({ tr("#"), tr("Page"), tr("Section"), tr("Text"), tr("Tokens") });
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(FirstLine, QHeaderView::Stretch);
    m_list->header()->setSectionResizeMode(Ordinal, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(Page, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(Tokens, QHeaderView::ResizeToContents);
    m_list->setColumnWidth(Heading, 200);
    m_list->setToolTip(tr("Untick a chunk to keep it out of answers and search."));
    m_text->setObjectName(u"chunkText"_s);
    m_text->setReadOnly(true);
    m_summary->setObjectName(u"chunkSummary"_s);
    m_summary->setText(tr("Loading chunks…"));
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    m_error->setObjectName(u"chunkError"_s);
    m_error->setWordWrap(true);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, AppTheme::errorColor(palette()));
    m_error->setPalette(errorPalette);
    m_error->hide();
    m_edit->setObjectName(u"chunkEdit"_s);
    m_save->setObjectName(u"chunkSave"_s);
    m_save->setToolTip(tr("Save the edited chunk (Ctrl+S)"));
    m_cancel->setObjectName(u"chunkCancelEdit"_s);
    m_save->hide();
    m_cancel->hide();
    m_edit->setEnabled(false);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_list);
    splitter->addWidget(m_text);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_save);
    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_error);
    layout->addLayout(buttons);

    connect(close, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(m_edit, &QPushButton::clicked, this, &ChunkBrowserDialog::startEditing);
    connect(m_save, &QPushButton::clicked, this, &ChunkBrowserDialog::save);
    connect(m_cancel, &QPushButton::clicked, this, &ChunkBrowserDialog::cancelEditing);
    auto *saveShortcut = new QShortcut(QKeySequence::Save, this);
    connect(saveShortcut, &QShortcut::activated, this, [this] {
        if (m_editing)
            save();
    });
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this] {
        if (m_editing)
            cancelEditing();
        showSelected();
    });
    connect(m_list, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem *item, int column) {
        if (m_filling || column != Ordinal)
            return;
        const int index = item->data(Ordinal, kIndexRole).toInt();
        const bool enabled = item->checkState(Ordinal) == Qt::Checked;
        if (index < 0 || index >= m_chunks.size() || m_chunks.at(index).enabled == enabled)
            return;
        ragdesk::detach(writeEnabled(m_chunks.at(index).id, enabled), "ChunkBrowserDialog::writeEnabled");
    });
    ragdesk::detach(load(), "ChunkBrowserDialog::load");
}

QString ChunkBrowserDialog::errorText() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

QCoro::Task<> ChunkBrowserDialog::load()
{
    QPointer<ChunkBrowserDialog> self(this);
    const auto chunks = co_await m_store->chunks(m_document.id);
    if (!self)
        co_return;
    if (!chunks) {
        m_summary->clear();
        showError(tr("Could not load the chunks: %1").arg(chunks.error().message));
        Q_EMIT loaded();
        co_return;
    }
    m_chunks = *chunks;
    m_filling = true;
    m_list->clear();
    QList<QTreeWidgetItem *> items;
    items.reserve(m_chunks.size());
    for (int i = 0; i < m_chunks.size(); ++i) {
        auto *item = new QTreeWidgetItem;
        item->setData(Ordinal, kIndexRole, i);
        fillItem(item, m_chunks.at(i));
        items.append(item);
    }
    m_list->addTopLevelItems(items);
    m_filling = false;
    m_summary->setText(m_chunks.isEmpty() ? tr("This document has no chunks (not indexed yet, or no text).")
                                          : tr("%n chunk(s)", nullptr, int(m_chunks.size())));
    if (!m_chunks.isEmpty())
        m_list->setCurrentItem(m_list->topLevelItem(0));
    Q_EMIT loaded();
}

void ChunkBrowserDialog::fillItem(QTreeWidgetItem *item, const ChunkRecord &chunk)
{
    const bool wasFilling = m_filling;
    m_filling = true;
    const QString firstLine = chunk.draft.text.section(u'\n', 0, 0, QString::SectionSkipEmpty).trimmed();
    item->setText(Ordinal, QString::number(chunk.draft.ordinal + 1));
    item->setText(Page, chunk.draft.page > 0 ? QString::number(chunk.draft.page) : QString());
    item->setText(Heading, chunk.draft.headingPath);
    item->setText(FirstLine, firstLine.left(kFirstLineMax));
    item->setText(Tokens, QString::number(chunk.draft.tokenCount));
    item->setTextAlignment(Tokens, Qt::AlignRight | Qt::AlignVCenter);
    item->setToolTip(Heading, chunk.draft.headingPath);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Ordinal, chunk.enabled ? Qt::Checked : Qt::Unchecked);
    // Disabled chunks read as greyed out; the checkbox stays live so they can be turned back on.
    const QBrush foreground = chunk.enabled ? QBrush() : palette().brush(QPalette::Disabled, QPalette::Text);
    for (int column = 0; column < ColumnCount; ++column)
        item->setForeground(column, foreground);
    m_filling = wasFilling;
}

int ChunkBrowserDialog::selectedIndex() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item ? item->data(Ordinal, kIndexRole).toInt() : -1;
}

void ChunkBrowserDialog::showSelected()
{
    const int index = selectedIndex();
    m_edit->setEnabled(index >= 0);
    m_text->setPlainText(index >= 0 ? m_chunks.at(index).draft.text : QString());
}

void ChunkBrowserDialog::startEditing()
{
    if (selectedIndex() < 0)
        return;
    m_editing = true;
    m_text->setReadOnly(false);
    m_edit->hide();
    m_save->show();
    m_cancel->show();
    m_text->setFocus();
}

void ChunkBrowserDialog::cancelEditing()
{
    m_editing = false;
    m_text->setReadOnly(true);
    m_save->hide();
    m_cancel->hide();
    m_edit->show();
    showSelected();
}

void ChunkBrowserDialog::save()
{
    const int index = selectedIndex();
    if (!m_editing || index < 0)
        return;
    const QString text = m_text->toPlainText();
    if (text.trimmed().isEmpty()) {
        showError(tr("A chunk cannot be empty. Untick it instead to keep it out of answers."));
        return;
    }
    m_save->setEnabled(false);
    ragdesk::detach(writeText(m_chunks.at(index).id, text), "ChunkBrowserDialog::writeText");
}

QCoro::Task<> ChunkBrowserDialog::writeEnabled(qint64 chunkId, bool enabled)
{
    QPointer<ChunkBrowserDialog> self(this);
    const auto written = co_await m_store->setEnabled(chunkId, enabled);
    if (!self)
        co_return;
    for (int i = 0; i < m_chunks.size(); ++i) {
        if (m_chunks.at(i).id != chunkId)
            continue;
        if (written)
            m_chunks[i].enabled = enabled;
        // On failure the checkbox goes back to what is stored.
        fillItem(m_list->topLevelItem(i), m_chunks.at(i));
    }
    if (!written)
        showError(tr("Could not change the chunk: %1").arg(written.error().message));
    else
        showError({});
    Q_EMIT saved(bool(written));
}

QCoro::Task<> ChunkBrowserDialog::writeText(qint64 chunkId, QString text)
{
    QPointer<ChunkBrowserDialog> self(this);
    const int tokens = TokenEstimator::estimate(text);
    const auto written = co_await m_store->updateText(chunkId, text, tokens);
    if (!self)
        co_return;
    m_save->setEnabled(true);
    if (!written) {
        // The edit stays in the view so nothing typed is lost.
        showError(tr("Could not save the chunk: %1").arg(written.error().message));
        Q_EMIT saved(false);
        co_return;
    }
    showError({});
    for (int i = 0; i < m_chunks.size(); ++i) {
        if (m_chunks.at(i).id != chunkId)
            continue;
        m_chunks[i].draft.text = text;
        m_chunks[i].draft.tokenCount = tokens;
        fillItem(m_list->topLevelItem(i), m_chunks.at(i));
    }
    cancelEditing();
    Q_EMIT saved(true);
}

void ChunkBrowserDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

} // namespace ragdesk
