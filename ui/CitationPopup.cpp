#include "ui/CitationPopup.h"

#include <QGuiApplication>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
constexpr int kWidth = 460;
} // namespace

CitationPopup::CitationPopup(QWidget *parent)
    : QFrame(parent, Qt::Popup)
    , m_title(new QLabel(this))
    , m_location(new QLabel(this))
    , m_text(new QPlainTextEdit(this))
    , m_open(new QPushButton(tr("Open document"), this))
{
    setObjectName(u"citationPopup"_s);
    setAttribute(Qt::WA_DeleteOnClose);
    setFrameShape(QFrame::StyledPanel);
    m_title->setObjectName(u"citationTitle"_s);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_location->setObjectName(u"citationLocation"_s);
    m_location->setTextFormat(Qt::PlainText);
    m_location->setWordWrap(true);
    m_location->setForegroundRole(QPalette::PlaceholderText);
    m_text->setObjectName(u"citationText"_s);
    m_text->setReadOnly(true);
    m_text->setFrameShape(QFrame::NoFrame);
    m_text->setBackgroundRole(QPalette::Window);
    m_open->setObjectName(u"openDocumentButton"_s);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->addWidget(m_title);
    layout->addWidget(m_location);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_open, 0, Qt::AlignRight);
    resize(kWidth, 320);

    connect(m_open, &QPushButton::clicked, this, [this] {
        Q_EMIT openDocumentRequested(m_snapshot);
        close();
    });
}

void CitationPopup::setSnapshot(const CitationSnapshot &snapshot)
{
    m_snapshot = snapshot;
    const QString title = snapshot.documentTitle.isEmpty() ? snapshot.documentPath : snapshot.documentTitle;
    m_title->setText(u"[%1] %2"_s.arg(snapshot.number).arg(title.isEmpty() ? tr("Untitled document") : title));
    QStringList location;
    if (!snapshot.headingPath.isEmpty())
        location.append(snapshot.headingPath);
    if (snapshot.page > 0)
        location.append(tr("page %1").arg(snapshot.page));
    m_location->setText(location.join(u" · "_s));
    m_location->setVisible(!location.isEmpty());
    m_text->setPlainText(snapshot.chunkText);
    // As tall as the passage needs (a short chunk leaves no empty box), scrolling past 300 px.
    const int textWidth = kWidth - 24 - 2 * m_text->frameWidth() - 2 * int(m_text->document()->documentMargin());
    const int needed = m_text->fontMetrics()
                           .boundingRect(QRect(0, 0, textWidth, 1'000'000), Qt::TextWordWrap, snapshot.chunkText)
                           .height()
        + 2 * m_text->frameWidth() + 2 * int(m_text->document()->documentMargin()) + 4;
    m_text->setFixedHeight(qBound(60, needed, 300));
    resize(kWidth, sizeHint().height());
    m_open->setEnabled(snapshot.documentId > 0 || !snapshot.documentPath.isEmpty());
}

void CitationPopup::popup(const QPoint &globalPos)
{
    QPoint at = globalPos + QPoint(0, 12);
    if (const QScreen *screen = QGuiApplication::screenAt(globalPos)) {
        const QRect room = screen->availableGeometry();
        at.setX(qBound(room.left(), at.x(), qMax(room.left(), room.right() - width())));
        if (at.y() + height() > room.bottom())
            at.setY(qMax(room.top(), globalPos.y() - height() - 4));
    }
    move(at);
    show();
}

} // namespace ragdesk
