#pragma once

#include "core/retrieval/RetrievalTypes.h"
#include "ui/SearchFunction.h"

#include <QCoroTask>
#include <QDialog>

#include <optional>
#include <utility>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace ragdesk {

/// One search hit in the context of its document: the document's extracted text, read-only, with
/// the passage [startOffset, endOffset) selected and scrolled into view, a header with title,
/// heading path and page, and a button that opens the file itself. Non-modal; the text loads
/// asynchronously ("Loading…"), and without it the chunk's own text is shown.
class PassagePreviewDialog : public QDialog
{
    Q_OBJECT
public:
    PassagePreviewDialog(DocumentTextFunction documentText, RetrievalHit hit, QWidget *parent = nullptr);

    [[nodiscard]] const RetrievalHit &hit() const { return m_hit; }
    [[nodiscard]] QPlainTextEdit *textView() const { return m_text; }
    [[nodiscard]] bool isLoaded() const { return m_loaded; }
    /// The highlighted passage as positions in textView(); empty before loading.
    [[nodiscard]] std::pair<int, int> passageRange() const { return m_range; }

    /// Where @p passage is in @p document: [start, end) when the text there is the passage,
    /// else its first occurrence; nothing when the document no longer contains it. Pure.
    static std::optional<std::pair<qint64, qint64>> locatePassage(const QString &document, const QString &passage,
        qint64 start, qint64 end);

Q_SIGNALS:
    /// The text is shown (the whole document, or the chunk alone if the document failed to load).
    void loaded();
    /// The user asked for the file in the system viewer.
    void openFileRequested(const RetrievalHit &hit);

private:
    QCoro::Task<> load();
    void showText(const QString &text, qint64 start, qint64 end);

    DocumentTextFunction m_documentText;
    RetrievalHit m_hit;
    QLabel *m_status;
    QPlainTextEdit *m_text;
    QPushButton *m_openFile;
    std::pair<int, int> m_range { 0, 0 };
    bool m_loaded = false;
};

} // namespace ragdesk
