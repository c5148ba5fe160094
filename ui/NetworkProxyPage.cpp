#include "ui/NetworkProxyPage.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

NetworkProxyPage::NetworkProxyPage(const NetworkProxySettings &settings, QWidget *parent)
    : QWidget(parent)
    , m_system(new QRadioButton(tr("Use the &system's proxy settings"), this))
    , m_none(new QRadioButton(tr("&No proxy"), this))
    , m_manual(new QRadioButton(tr("&Manual proxy:"), this))
    , m_type(new QComboBox(this))
    , m_host(new QLineEdit(settings.host, this))
    , m_port(new QSpinBox(this))
{
    m_system->setObjectName(u"proxySystemRadio"_s);
    m_none->setObjectName(u"proxyNoneRadio"_s);
    m_manual->setObjectName(u"proxyManualRadio"_s);
    m_type->setObjectName(u"proxyTypeCombo"_s);
    m_type->addItem(u"HTTP"_s, int(QNetworkProxy::HttpProxy));
    m_type->addItem(u"SOCKS5"_s, int(QNetworkProxy::Socks5Proxy));
    m_type->setCurrentIndex(m_type->findData(int(settings.type)));
    m_host->setObjectName(u"proxyHostEdit"_s);
    m_host->setPlaceholderText(u"proxy.example.org"_s);
    m_port->setObjectName(u"proxyPortSpin"_s);
    m_port->setRange(1, 65535);
    m_port->setValue(settings.port);
    using Mode = NetworkProxySettings::Mode;
    (settings.mode == Mode::None ? m_none : settings.mode == Mode::Manual ? m_manual : m_system)->setChecked(true);

    auto *manual = new QFormLayout;
    manual->setContentsMargins(24, 0, 0, 0); // under the radio button it belongs to
    manual->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    manual->addRow(tr("T&ype:"), m_type);
    manual->addRow(tr("&Host:"), m_host);
    manual->addRow(tr("&Port:"), m_port);
    m_host->setMinimumWidth(260);

    auto *note = new QLabel(tr("Applies to chat, model lists and embeddings. Proxy passwords are not supported, "
                               "so none is ever stored."),
        this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);

    auto *group = new QGroupBox(tr("Proxy"), this);
    auto *groupLayout = new QVBoxLayout(group);
    groupLayout->addWidget(m_system);
    groupLayout->addWidget(m_none);
    groupLayout->addWidget(m_manual);
    groupLayout->addLayout(manual);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(group);
    layout->addWidget(note);
    layout->addStretch(1);

    for (QRadioButton *radio : { m_system, m_none, m_manual })
        connect(radio, &QRadioButton::toggled, this, &NetworkProxyPage::updateEnabled);
    updateEnabled();
}

NetworkProxySettings NetworkProxyPage::settings() const
{
    NetworkProxySettings result;
    using Mode = NetworkProxySettings::Mode;
    result.mode = m_manual->isChecked() ? Mode::Manual : m_none->isChecked() ? Mode::None : Mode::System;
    result.type = QNetworkProxy::ProxyType(m_type->currentData().toInt());
    result.host = m_host->text().trimmed();
    result.port = quint16(m_port->value());
    return result;
}

QString NetworkProxyPage::validationError() const
{
    if (m_manual->isChecked() && m_host->text().trimmed().isEmpty())
        return tr("Enter the proxy's host name, or choose another proxy setting.");
    return {};
}

void NetworkProxyPage::updateEnabled()
{
    for (QWidget *field : std::initializer_list<QWidget *> { m_type, m_host, m_port })
        field->setEnabled(m_manual->isChecked());
}

} // namespace ragdesk
