#pragma once

#include "core/storage/Assistant.h"
#include "core/storage/Citation.h"

#include <QWidget>

class QLabel;
class QToolButton;

namespace KSyntaxHighlighting {
class Repository;
}

namespace ragdesk {

class AssistantCatalog;
class AssistantPicker;
class MessageView;
class SearchSummary;
struct StreamWait;

/// The AI summary under a search tab's results: a header line ("Summarized by <model> from N
/// passages", or what it waits for), the assistant that summarises (its model, prompt and top
/// N), Stop while it streams, Retry after a failure or a stop,
/// and the summary itself in the chat's MessageView, so its markdown, citation chips, hover
/// passages and popup are the chat's own. Follows one SearchSummary; never owns it.
class SearchSummaryPanel : public QWidget
{
    Q_OBJECT
public:
    /// @p syntax highlights code in the summary; null shows it plain. @p assistants fills the
    /// assistant picker; null: no picker, and summaries use the built-in default assistant.
    SearchSummaryPanel(SearchSummary *summary, const KSyntaxHighlighting::Repository *syntax,
                       AssistantCatalog *assistants, QWidget *parent = nullptr);

    /// The assistant the next summary uses: the picker's choice, at first the one for new chats.
    [[nodiscard]] Assistant assistant() const;
    /// Null without a catalog.
    [[nodiscard]] AssistantPicker *assistantPicker() const { return m_picker; }

    [[nodiscard]] MessageView *view() const { return m_view; }
    /// The header line: what is being summarised, by which model, or what went wrong.
    [[nodiscard]] QString statusText() const;
    [[nodiscard]] QToolButton *stopButton() const { return m_stop; }
    [[nodiscard]] QToolButton *retryButton() const { return m_retry; }

Q_SIGNALS:
    /// Summarise again (Retry, or Regenerate in the summary's action row).
    void retryRequested();
    /// The user chose another assistant in the picker.
    void assistantChanged();
    /// "Manage assistants…" in the picker.
    void assistantsRequested();
    /// The user closed the panel (or deleted the summary).
    void closeRequested();
    void inspectRequested();
    /// A citation chip or source of chunk @p chunkId was clicked.
    void passageChosen(qint64 chunkId);
    void openDocumentRequested(const ragdesk::CitationSnapshot &snapshot);

private:
    void updateHeader();
    void showWait(const StreamWait &wait);
    void onAnchorClicked(const QUrl &url);

    SearchSummary *m_summary;
    QLabel *m_title;
    QLabel *m_status;
    AssistantPicker *m_picker = nullptr;
    QToolButton *m_stop;
    QToolButton *m_retry;
    QToolButton *m_close;
    MessageView *m_view;
};

} // namespace ragdesk
