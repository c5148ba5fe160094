#include "ui/ProviderPicker.h"

#include "core/foundation/Detach.h"
#include "core/llm/ChatProvider.h"
#include "core/llm/ProviderRegistry.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QSignalBlocker>

using namespace Qt::StringLiterals;

namespace ragdesk {

ProviderPicker::ProviderPicker(ProviderRegistry *registry, QWidget *parent)
    : QWidget(parent)
    , m_registry(registry)
    , m_provider(new QComboBox(this))
    , m_model(new QComboBox(this))
{
    setObjectName(u"providerPicker"_s);
    m_provider->setObjectName(u"providerCombo"_s);
    m_model->setObjectName(u"modelCombo"_s);
    m_provider->setToolTip(tr("The provider this chat asks (Settings → Providers adds more)"));
    m_model->setToolTip(tr("The model; pick one the server offers or type its name"));
    m_model->setEditable(true);
    m_model->setInsertPolicy(QComboBox::NoInsert);
    m_model->setMinimumContentsLength(18);
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_model->view()->installEventFilter(this);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addWidget(m_provider);
    layout->addWidget(m_model);
    layout->addStretch(1);

    connect(m_provider, &QComboBox::activated, this, &ProviderPicker::onProviderChosen);
    connect(m_model->lineEdit(), &QLineEdit::editingFinished, this,
            [this] { Q_EMIT selectionChanged(providerId(), model()); });
    connect(m_model, &QComboBox::activated, this, [this] { Q_EMIT selectionChanged(providerId(), model()); });
    if (m_registry)
        connect(m_registry, &ProviderRegistry::providersChanged, this, &ProviderPicker::repopulate);
    repopulate();
}

ProviderPicker::~ProviderPicker()
{
    m_fetchCancel.cancel();
}

QString ProviderPicker::providerId() const
{
    return m_provider->currentData().toString();
}

QString ProviderPicker::model() const
{
    return m_model->currentText().trimmed();
}

void ProviderPicker::select(const QString &providerId, const QString &model)
{
    // An empty id is "the default provider", as assistants and sessions use it.
    const int index = m_provider->findData(providerId.isEmpty() && m_registry ? m_registry->defaultId() : providerId);
    if (index >= 0)
        m_provider->setCurrentIndex(index);
    const auto settings = m_registry ? m_registry->find(this->providerId()) : std::nullopt;
    m_model->setEditText(model.isEmpty() && settings ? settings->model : model);
}

void ProviderPicker::repopulate()
{
    const QString keepId = providerId();
    const QString shownModel = model();
    // A model that was only the provider's default follows a new default from Settings; one the
    // user picked stays.
    const bool wasDefault = shownModel == m_defaults.value(keepId);
    {
        const QSignalBlocker blocker(m_provider);
        m_provider->clear();
        m_defaults.clear();
        if (m_registry) {
            for (const ProviderSettings &provider : m_registry->providers()) {
                m_provider->addItem(provider.name.isEmpty() ? provider.baseUrl.host() : provider.name, provider.id);
                m_defaults.insert(provider.id, provider.model);
            }
        }
    }
    const bool stillThere = m_provider->findData(keepId) >= 0;
    select(stillThere ? keepId : (m_registry ? m_registry->defaultId() : QString()),
           stillThere && !wasDefault ? shownModel : QString());
    m_fetchedFor.clear();
    setVisible(m_provider->count() > 0);
    if (providerId() != keepId || model() != shownModel)
        Q_EMIT selectionChanged(providerId(), model());
}

void ProviderPicker::onProviderChosen()
{
    const auto settings = m_registry ? m_registry->find(providerId()) : std::nullopt;
    m_model->clear();
    m_model->setEditText(settings ? settings->model : QString());
    m_fetchedFor.clear();
    Q_EMIT selectionChanged(providerId(), model());
}

bool ProviderPicker::eventFilter(QObject *watched, QEvent *event)
{
    // The popup's list being shown is the one moment the user asks what the server offers;
    // the list fills in while it is open.
    const bool opening = watched == m_model->view() && event->type() == QEvent::Show;
    if (opening && m_fetchedFor != providerId())
        detach(fetchModels(providerId()), "model list");
    return QWidget::eventFilter(watched, event);
}

QCoro::Task<> ProviderPicker::fetchModels(QString providerId)
{
    if (!m_registry)
        co_return;
    m_fetchedFor = providerId;
    m_fetchCancel.cancel();
    m_fetchCancel = CancelToken();
    const CancelToken cancel = m_fetchCancel;
    QPointer<ProviderPicker> self(this);
    auto handle = co_await m_registry->open(providerId, {});
    if (!self || cancel.isCancelled() || !handle)
        co_return;
    auto models = co_await handle->provider->listModels(cancel);
    if (!self || cancel.isCancelled() || self->providerId() != providerId)
        co_return;
    if (!models) {
        m_model->setToolTip(models.error().message);
        m_fetchedFor.clear(); // try again on the next opening
        co_return;
    }
    const QString typed = model();
    const QSignalBlocker blocker(m_model);
    m_model->clear();
    m_model->addItems(*models);
    m_model->setEditText(typed);
}

} // namespace ragdesk
