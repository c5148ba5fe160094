#include "ui/VectorStatusLine.h"

#include "core/retrieval/EmbeddingBackfill.h"
#include "ui/AppTheme.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace ragdesk {

VectorStatusLine::VectorStatusLine(EmbeddingBackfill *backfill, QWidget *parent)
    : QWidget(parent)
    , m_backfill(backfill)
    , m_text(new QLabel(this))
    , m_retry(new QPushButton(tr("Retry"), this))
{
    setObjectName(u"vectorStatusLine"_s);
    m_text->setObjectName(u"vectorStatusText"_s);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // One line whatever the message, so the buttons below never jump when an error comes or goes.
    m_text->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_text->installEventFilter(this);
    m_retry->setObjectName(u"vectorRetryButton"_s);
    m_retry->setToolTip(tr("Try embedding the remaining chunks again"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_retry, 0, Qt::AlignVCenter);
    setMinimumHeight(m_retry->sizeHint().height());
    connect(m_retry, &QPushButton::clicked, this, &VectorStatusLine::retry);

    if (m_backfill) {
        // Progress only arrives during a pass, so it also means "running"; finished() ends it.
        connect(m_backfill, &EmbeddingBackfill::progressChanged, this,
            [this](qint64 id, const EmbeddingCoverage &coverage) {
                if (id != m_knowledgeBaseId)
                    return;
                State next = m_state;
                next.coverage = coverage;
                next.error.clear();
                next.running = true;
                setState(next);
            });
        connect(m_backfill, &EmbeddingBackfill::failed, this, [this](qint64 id, const QString &message) {
            if (id != m_knowledgeBaseId)
                return;
            State next = m_state;
            next.error = message;
            setState(next);
        });
        connect(m_backfill, &EmbeddingBackfill::finished, this, [this] {
            State next = m_state;
            next.running = false;
            setState(next);
        });
    }
    setState({ .model = {}, .coverage = {}, .error = {}, .running = false, .available = m_backfill != nullptr });
}

void VectorStatusLine::setKnowledgeBase(qint64 id, const QString &model)
{
    // The backfill's figures are for the model of its last pass: after a switch they are stale
    // until the next pass reports, so show none rather than "all chunks" of the old model.
    const bool modelSwitched = id == m_knowledgeBaseId && model != m_state.model;
    m_knowledgeBaseId = id;
    State next;
    next.model = model;
    next.available = m_backfill != nullptr;
    if (m_backfill) {
        if (!modelSwitched) {
            next.coverage = m_backfill->coverage(id);
            next.error = m_backfill->error(id);
        }
        next.running = m_backfill->isRunning();
    }
    setState(next);
}

void VectorStatusLine::setState(const State &state)
{
    m_state = state;
    showText(describe(state));
    m_retry->setVisible(showsError() && m_backfill);
    m_retry->setEnabled(true);
    applyColour();
}

QString VectorStatusLine::text() const
{
    return m_fullText;
}

void VectorStatusLine::showText(const QString &text)
{
    m_fullText = text;
    const QString model = m_state.model.isEmpty() ? QString() : tr("Embedding model: %1").arg(m_state.model);
    m_text->setToolTip(model.isEmpty() ? text : u"%1\n%2"_s.arg(text, model));
    elide();
}

void VectorStatusLine::elide()
{
    m_text->setText(m_text->fontMetrics().elidedText(m_fullText, Qt::ElideRight, m_text->width()));
}

bool VectorStatusLine::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_text && (event->type() == QEvent::Resize || event->type() == QEvent::FontChange))
        elide();
    return QWidget::eventFilter(watched, event);
}

bool VectorStatusLine::showsError() const
{
    return m_state.available && !m_state.model.isEmpty() && !m_state.error.isEmpty();
}

QString VectorStatusLine::describe(const State &state, const QLocale &locale)
{
    if (state.model.isEmpty())
        return tr("Keyword search only — no embedding model");
    if (!state.available)
        return tr("Vectors unavailable — embedding is not set up, so search uses keywords");
    if (!state.error.isEmpty())
        return tr("Vectors failed: %1").arg(state.error);
    if (!state.coverage)
        return state.running ? tr("Vectors: counting chunks…") : tr("Vectors: not embedded yet");
    const EmbeddingCoverage &coverage = *state.coverage;
    if (coverage.total == 0)
        return tr("Vectors: no chunks yet");
    if (coverage.isComplete())
        return tr("Vectors: all %1 chunks").arg(locale.toString(coverage.total));
    const QString counts = tr("Vectors: %1 of %2 chunks").arg(locale.toString(coverage.embedded),
        locale.toString(coverage.total));
    return state.running ? tr("%1 (embedding…)").arg(counts) : counts;
}

void VectorStatusLine::retry()
{
    if (!m_backfill)
        return;
    m_backfill->schedule();
    // The pass starts after the backfill's debounce; say so at once instead of a dead button.
    showText(tr("Vectors: retrying…"));
    m_retry->setEnabled(false);
    State next = m_state;
    next.error.clear();
    m_state = next;
    applyColour();
}

void VectorStatusLine::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyColour();
}

void VectorStatusLine::applyColour()
{
    // Only the label's palette changes, so this cannot feed back into our own PaletteChange.
    QPalette labelPalette = palette();
    if (showsError())
        labelPalette.setColor(QPalette::WindowText, AppTheme::errorColor(palette()));
    else
        labelPalette.setColor(QPalette::WindowText, palette().color(QPalette::PlaceholderText));
    m_text->setPalette(labelPalette);
}

} // namespace ragdesk
