#pragma once

#include <QUrl>
#include <QWidget>

class QLabel;

namespace ragdesk {

/// First-start guide shown in an empty chat when no provider was ever chosen and the default
/// one did not answer: explains what ragdesk needs and offers the common servers as one click
/// each, which opens the settings prefilled.
class WelcomePanel : public QWidget
{
    Q_OBJECT
public:
    explicit WelcomePanel(QWidget *parent = nullptr);

    /// Why the default provider did not answer (the probe's error), shown under the intro.
    void setProbeError(const QString &error);

Q_SIGNALS:
    /// A preset button: open the settings with these values filled in.
    void presetChosen(const QUrl &baseUrl, const QString &model);
    void settingsRequested();

private:
    void addPreset(const QString &label, const QString &hint, const QUrl &baseUrl, const QString &model);

    QLabel *m_probeError;
    QWidget *m_buttons;
};

} // namespace ragdesk
