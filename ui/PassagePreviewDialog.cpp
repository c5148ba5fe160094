#include "ui/PassagePreviewDialog.h"

#include "core/foundation/Detach.h"
#include "ui/AppTheme.h"
#include "ui/SearchResultModel.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

PassagePreviewDialog::PassagePreviewDialog(DocumentTextFunction documentText, RetrievalHit hit, QWidget *parent)
    : QDialog(parent)
    , m_documentText(std::move(documentText))
    , m_hit(std::move(hit))
    , m_status(new QLabel(tr("Loading…"), this))
    , m_text(new QPlainTextEdit(this))
    , m_openFile(new QPushButton(tr("&Open File"), this))
{
    setObjectName(u"passagePreview"_s);
    setAttribute(Qt::WA_DeleteOnClose);
    // Non-modal: the search tab stays usable, and several previews can sit side by side.
    setWindowModality(Qt::NonModal);
    const QString title = SearchResultModel::titleText(m_hit);
    setWindowTitle(tr("%1 — Passage").arg(title));
    resize(760, 620);

    auto *titleLabel = new QLabel(title, this);
    titleLabel->setObjectName(u"previewTitle"_s);
    titleLabel->setTextFormat(Qt::PlainText);
    titleLabel->setWordWrap(true);
    QFont titleFont = titleLabel->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    titleLabel->setFont(titleFont);
    auto *location = new QLabel(SearchResultModel::locationText(m_hit), this);
    location->setObjectName(u"previewLocation"_s);
    location->setTextFormat(Qt::PlainText);
    location->setForegroundRole(QPalette::PlaceholderText);
    location->setVisible(!location->text().isEmpty());
    auto *path = new QLabel(m_hit.documentPath, this);
    path->setObjectName(u"previewPath"_s);
    path->setTextFormat(Qt::PlainText);
    path->setForegroundRole(QPalette::PlaceholderText);
    path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setObjectName(u"previewStatus"_s);
    m_status->setWordWrap(true);

    m_text->setObjectName(u"previewText"_s);
    m_text->setReadOnly(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->setPlaceholderText(tr("Loading…"));
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth);

    m_openFile->setObjectName(u"previewOpenFile"_s);
    m_openFile->setToolTip(tr("Open the file in its viewer, at the page where possible (Ctrl+O)"));
    m_openFile->setEnabled(!m_hit.documentPath.isEmpty());
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_openFile, QDialogButtonBox::ActionRole);

    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(4);
    layout->addWidget(titleLabel);
    layout->addWidget(location);
    layout->addWidget(path);
    layout->addSpacing(6);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(m_openFile, &QPushButton::clicked, this, [this] { Q_EMIT openFileRequested(m_hit); });
    for (const QKeySequence &keys : { QKeySequence(Qt::CTRL | Qt::Key_O), QKeySequence(Qt::CTRL | Qt::Key_Return) }) {
        auto *openShortcut = new QShortcut(keys, this);
        connect(openShortcut, &QShortcut::activated, m_openFile, &QPushButton::click);
    }
    ragdesk::detach(load(), "PassagePreviewDialog::load");
}

QCoro::Task<> PassagePreviewDialog::load()
{
    QPointer<PassagePreviewDialog> self(this);
    if (!m_documentText) {
        m_status->setText(tr("Showing the passage only: the document's text is not available here."));
        showText(m_hit.text, 0, m_hit.text.size());
        co_return;
    }
    // A copy in the frame: the callable must live until its task ends, even if we close first.
    const DocumentTextFunction documentText = m_documentText;
    const Result<QString> text = co_await documentText(m_hit.documentId);
    if (!self)
        co_return;
    if (!text) {
        m_status->setText(tr("Could not load the whole document (%1). Showing the passage only.")
                              .arg(text.error().message));
        showText(m_hit.text, 0, m_hit.text.size());
        co_return;
    }
    const auto where = locatePassage(*text, m_hit.text, m_hit.startOffset, m_hit.endOffset);
    if (!where) {
        // Re-indexed or edited since the passage was found (a citation keeps its own copy).
        m_status->setText(tr("The document has changed since this passage was found. Showing the passage as it was."));
        showText(m_hit.text, 0, m_hit.text.size());
        co_return;
    }
    m_status->hide();
    showText(*text, where->first, where->second);
}

std::optional<std::pair<qint64, qint64>> PassagePreviewDialog::locatePassage(const QString &document,
    const QString &passage, qint64 start, qint64 end)
{
    // Without the passage's own text there is nothing to check the offsets against.
    if (passage.isEmpty())
        return std::pair{start, end};
    const auto same = [](QStringView a, QStringView b) { return a.trimmed() == b.trimmed(); };
    if (start >= 0 && end >= start && end <= document.size() && same(QStringView(document).sliced(start, end - start), passage))
        return std::pair{start, end};
    if (const qsizetype at = document.indexOf(passage.trimmed()); at >= 0)
        return std::pair{qint64(at), qint64(at + passage.trimmed().size())};
    return std::nullopt;
}

void PassagePreviewDialog::showText(const QString &text, qint64 start, qint64 end)
{
    m_text->setPlainText(text);
    // Offsets come from the index; a stale one must still land inside the text.
    const int size = m_text->document()->characterCount() - 1;
    const int from = int(std::clamp<qint64>(start, 0, size));
    const int to = int(std::clamp<qint64>(end, from, size));
    m_range = { from, to };

    QTextCursor cursor(m_text->document());
    // Anchored at the end, so the cursor (and centerCursor) sits where the passage starts.
    cursor.setPosition(to);
    cursor.setPosition(from, QTextCursor::KeepAnchor);
    // The mark stays visible when focus leaves the view; the selection alone would fade.
    QTextEdit::ExtraSelection mark;
    mark.cursor = cursor;
    mark.format.setBackground(AppTheme::markColor(palette()));
    m_text->setExtraSelections({ mark });
    m_text->setTextCursor(cursor);
    m_text->centerCursor();
    m_loaded = true;
    Q_EMIT loaded();
}

} // namespace ragdesk
