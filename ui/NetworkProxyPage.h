#pragma once

#include "core/llm/NetworkProxySettings.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace ragdesk {

/// The "Network" page: use the system's proxy settings, no proxy, or one typed in.
class NetworkProxyPage : public QWidget
{
    Q_OBJECT
public:
    explicit NetworkProxyPage(const NetworkProxySettings &settings, QWidget *parent = nullptr);

    [[nodiscard]] NetworkProxySettings settings() const;
    /// Empty when the fields make sense; otherwise a sentence saying what to fix.
    [[nodiscard]] QString validationError() const;

private:
    void updateEnabled();

    QRadioButton *m_system;
    QRadioButton *m_none;
    QRadioButton *m_manual;
    QComboBox *m_type;
    QLineEdit *m_host;
    QSpinBox *m_port;
};

} // namespace ragdesk
