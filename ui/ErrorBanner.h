#pragma once

#include "ui/RoundedPanel.h"

class QLabel;
class QPushButton;

namespace ragdesk {

/// A red-tinted strip inside a chat tab that says what failed and offers the next step
/// (Retry, Settings…). Follows the theme; hidden again on the next send.
class ErrorBanner : public RoundedPanel
{
    Q_OBJECT
public:
    explicit ErrorBanner(QWidget *parent = nullptr);

    /// Shows @p message; the Retry button only when the failed turn can be asked again.
    void showError(const QString &message, bool canRetry);
    [[nodiscard]] QString message() const;
    /// Hides the Settings… button where no setting can fix the failure (search, preview).
    void setSettingsVisible(bool visible);

Q_SIGNALS:
    void retryRequested();
    void settingsRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateIconColor();

    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_retry;
    QPushButton *m_settings;
};

} // namespace ragdesk
