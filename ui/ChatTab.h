#pragma once

#include "core/chat/ChatSession.h"
#include "ui/MessageAction.h"
#include "ui/MessageAction.h"

#include <QCoroTask>
#include <QPointer>
#include <QUrl>
#include <QMessageBox>
#include <QWidget>

class QLabel;
class QPushButton;

namespace KSyntaxHighlighting {
class Repository;
}

namespace ragdesk {

class AssistantCatalog;
class AssistantPicker;
class Composer;
class ErrorBanner;
class MessageView;
class ProviderPicker;
class ProviderRegistry;
class WaitNotice;
class RoundedPanel;
class WelcomePanel;

/// One chat: a ChatSession with its message view, composer, error banner and (on first start)
/// the welcome guide. MainWindow shows it as a tab and reads title and busy state from it.
class ChatTab : public QWidget
{
    Q_OBJECT
public:
    /// @p providers fills the tab's provider and model picker, @p assistants its assistant
    /// picker; without them the tab has none (and chats with the built-in default assistant).
    /// @p syntax (the app's one Repository) highlights code in answers; null shows it plain.
    explicit ChatTab(ChatServices services, ProviderRegistry *providers = nullptr,
        AssistantCatalog *assistants = nullptr, const KSyntaxHighlighting::Repository *syntax = nullptr,
        QWidget *parent = nullptr);
    ~ChatTab() override;

    [[nodiscard]] ChatSession *session() const { return m_session; }
    [[nodiscard]] MessageView *messageView() const { return m_view; }
    [[nodiscard]] Composer *composer() const { return m_composer; }
    [[nodiscard]] ErrorBanner *errorBanner() const { return m_banner; }
    [[nodiscard]] WaitNotice *waitNotice() const { return m_waitNotice; }
    [[nodiscard]] ProviderPicker *providerPicker() const { return m_picker; }
    [[nodiscard]] AssistantPicker *assistantPicker() const { return m_assistantPicker; }
    /// The message being edited and resent, -1 when none.
    [[nodiscard]] int editingIndex() const { return m_editIndex; }
    /// The open "Delete this message?" question, for tests; null when none is open.
    [[nodiscard]] QMessageBox *deleteConfirmation() const { return m_deleteConfirmation.data(); }

    /// The session's title, or "New chat" before the first question.
    [[nodiscard]] QString title() const;
    [[nodiscard]] bool isStreaming() const;
    /// Nothing asked, nothing loaded, nothing typed: safe to replace or show the welcome in.
    [[nodiscard]] bool isPristine() const;

    /// Loads a stored conversation into this (new) tab; the history appears when it is read.
    void openConversation(qint64 conversationId, const QString &title = {});
    /// Shows the first-start guide instead of the empty transcript, with the probe's error.
    void showWelcome(const QString &probeError);
    void hideWelcome();
    /// Sends @p text as if typed and submitted.
    void send(const QString &text);

    /// Closes the tab without losing the answer: stops a streaming turn, lets the session save
    /// the partial text as `stopped`, then deletes itself.
    void retire();

Q_SIGNALS:
    /// Title or streaming state changed: MainWindow updates the tab label and status bar.
    void stateChanged();
    /// The stored list of conversations changed (created, renamed, a turn finished).
    void conversationsChanged();
    /// The user asked for the settings, optionally with a server to prefill.
    void settingsRequested(const QUrl &baseUrl, const QString &model);
    /// The user chose "Manage assistants…".
    void assistantsRequested();
    /// A citation's "Open document"; the window opens it (it has the documents' text).
    void openDocumentRequested(const ragdesk::CitationSnapshot &snapshot);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    QCoro::Task<> load(qint64 conversationId, QString title);
    void submit();
    void onStreamingChanged(bool streaming);
    void onMessageFinished(int index);
    void updateSendButton();
    /// An action-row click in the message view: inspect, regenerate, edit, delete.
    void onMessageAction(int index, MessageAction action);
    /// Puts the question at @p index into the composer; the next send makes it a new version.
    void startEditing(int index);
    void stopEditing();
    /// Asks (window-modal, open()) before deleting the message at @p index and what follows it.
    void confirmDelete(int index);
    /// The session takes @p assistant; the provider picker shows what it will talk to.
    void useAssistant(const Assistant &assistant);
    /// The picker's choice: an explicit pick, unless it is just what the assistant uses anyway.
    void onProviderPicked(const QString &providerId, const QString &model);

    QPointer<ChatSession> m_session;
    WelcomePanel *m_welcome;
    MessageView *m_view;
    ErrorBanner *m_banner;
    WaitNotice *m_waitNotice;
    ProviderPicker *m_picker = nullptr;
    AssistantPicker *m_assistantPicker = nullptr;
    RoundedPanel *m_composerFrame;
    Composer *m_composer;
    QPushButton *m_sendButton;
    QPointer<ProviderRegistry> m_providers;
    QLabel *m_editNote;
    int m_editIndex = -1;
    QPointer<QMessageBox> m_deleteConfirmation;
    bool m_loading = false;
    bool m_retiring = false;
};

} // namespace ragdesk
