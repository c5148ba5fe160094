#pragma once

#include "core/storage/Citation.h"

#include <QFrame>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace ragdesk {

/// The passage behind a citation chip or a source in the footer: title, heading path, page and
/// the whole chunk text, with a button that asks to open the document. Closes like a menu.
class CitationPopup : public QFrame
{
    Q_OBJECT
public:
    explicit CitationPopup(QWidget *parent = nullptr);

    void setSnapshot(const CitationSnapshot &snapshot);
    [[nodiscard]] const CitationSnapshot &snapshot() const { return m_snapshot; }
    /// Shows the popup near @p globalPos, kept on the screen.
    void popup(const QPoint &globalPos);

Q_SIGNALS:
    void openDocumentRequested(const ragdesk::CitationSnapshot &snapshot);

private:
    CitationSnapshot m_snapshot;
    QLabel *m_title;
    QLabel *m_location;
    QPlainTextEdit *m_text;
    QPushButton *m_open;
};

} // namespace ragdesk
