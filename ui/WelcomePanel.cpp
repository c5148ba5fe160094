#include "ui/WelcomePanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

WelcomePanel::WelcomePanel(QWidget *parent)
    : QWidget(parent)
    , m_probeError(new QLabel(this))
    , m_buttons(new QWidget(this))
{
    setObjectName(u"welcomePanel"_s);

    auto *title = new QLabel(tr("Connect a language model"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);

    auto *intro = new QLabel(tr("ragdesk answers through any server that speaks the OpenAI chat API, "
                                "running on this computer or remotely. Pick the one you use to fill in "
                                "the settings, then press “Test connection”."),
        this);
    intro->setWordWrap(true);

    m_probeError->setObjectName(u"welcomeProbeError"_s);
    m_probeError->setWordWrap(true);
    m_probeError->setTextFormat(Qt::PlainText);
    m_probeError->setForegroundRole(QPalette::PlaceholderText);
    m_probeError->hide();

    auto *buttonLayout = new QVBoxLayout(m_buttons);
    buttonLayout->setContentsMargins(0, 0, 0, 0);
    buttonLayout->setSpacing(8);
    addPreset(tr("Ollama"), u"http://localhost:11434/v1"_s, QUrl(u"http://localhost:11434/v1"_s), u"llama3.2"_s);
    addPreset(tr("llama.cpp server"), u"http://localhost:8080/v1"_s, QUrl(u"http://localhost:8080/v1"_s), {});
    addPreset(tr("OpenAI"), tr("https://api.openai.com/v1, needs an API key"), QUrl(u"https://api.openai.com/v1"_s),
        u"gpt-4o-mini"_s);

    auto *openSettings = new QPushButton(tr("Open settings…"), this);
    openSettings->setObjectName(u"welcomeOpenSettings"_s);
    connect(openSettings, &QPushButton::clicked, this, &WelcomePanel::settingsRequested);

    auto *column = new QWidget(this);
    column->setMaximumWidth(560);
    auto *columnLayout = new QVBoxLayout(column);
    columnLayout->setContentsMargins(0, 0, 0, 0);
    columnLayout->setSpacing(14);
    columnLayout->addWidget(title);
    columnLayout->addWidget(intro);
    columnLayout->addWidget(m_probeError);
    columnLayout->addWidget(m_buttons);
    columnLayout->addWidget(openSettings, 0, Qt::AlignLeft);

    // Stretches around the column instead of alignment flags: an aligned widget gets its size
    // hint, and a word-wrapped label's hint is too narrow.
    auto *row = new QHBoxLayout;
    row->addStretch(0);
    row->addWidget(column, 1);
    row->addStretch(0);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(24, 24, 24, 24);
    outer->addStretch(1);
    outer->addLayout(row);
    outer->addStretch(2);
}

void WelcomePanel::setProbeError(const QString &error)
{
    m_probeError->setText(tr("The default server did not answer: %1").arg(error));
    m_probeError->setVisible(!error.isEmpty());
}

void WelcomePanel::addPreset(const QString &label, const QString &hint, const QUrl &baseUrl, const QString &model)
{
    auto *button = new QPushButton(u"%1   (%2)"_s.arg(label, hint), m_buttons);
    button->setObjectName(u"preset:"_s + baseUrl.host() + u':' + QString::number(baseUrl.port(443)));
    button->setMinimumHeight(button->sizeHint().height() + 10);
    connect(button, &QPushButton::clicked, this, [this, baseUrl, model] { Q_EMIT presetChosen(baseUrl, model); });
    m_buttons->layout()->addWidget(button);
}

} // namespace ragdesk
