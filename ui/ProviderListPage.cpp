#include "ui/ProviderListPage.h"

#include "core/foundation/Detach.h"
#include "core/llm/CredentialStore.h"
#include "core/llm/ProviderPresets.h"
#include "ui/ProviderEditor.h"
#include "ui/ProviderListDelegate.h"
#include "ui/UniqueName.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QUuid>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ragdesk {

ProviderListPage::ProviderListPage(QNetworkAccessManager *network, CredentialStore *credentials,
    QList<ProviderSettings> profiles, const QString &currentId, QWidget *parent)
    : QWidget(parent)
    , m_credentials(credentials)
    , m_list(new QListWidget(this))
    , m_add(new QPushButton(tr("&Add…"), this))
    , m_presetMenu(new QMenu(this))
    , m_duplicate(new QPushButton(tr("D&uplicate"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
    , m_editor(new ProviderEditor(network, this))
{
    for (ProviderSettings &p : profiles) {
        // A key that arrives with the profile comes from the app's in-memory store: the user
        // chose session-only for it earlier (or there is no keychain at all).
        if (!m_credentials || !p.apiKey.isEmpty())
            m_keys.insert(p.id, ProviderKeyState { p.apiKey, p.apiKey, true, {}, true });
        p.apiKey.clear();
    }
    m_providers = std::move(profiles);

    m_list->setObjectName(u"providerList"_s);
    m_list->setItemDelegate(new ProviderListDelegate(m_list));
    m_list->setMinimumWidth(190);
    m_list->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    m_add->setObjectName(u"addProviderButton"_s);
    m_add->setToolTip(tr("Add a provider from a preset (Ctrl+N)"));
    m_duplicate->setObjectName(u"duplicateProviderButton"_s);
    m_remove->setObjectName(u"removeProviderButton"_s);
    m_remove->setToolTip(tr("Remove the selected provider (Del)"));
    m_presetMenu->setObjectName(u"presetMenu"_s);
    m_presetMenu->setToolTipsVisible(true);
    const QList<ProviderPreset> presets = providerPresets();
    for (const ProviderPreset &preset : presets) {
        QAction *action = m_presetMenu->addAction(preset.label);
        action->setToolTip(preset.hint);
        connect(action, &QAction::triggered, this, [this, preset] {
            ProviderSettings settings = instantiatePreset(preset);
            settings.name = uniqueName(settings.name, namesOf(providers()));
            addProvider(settings);
            m_editor->showTestStatus(preset.hint, false);
        });
    }

    auto *listLabel = new QLabel(tr("&Providers:"), this);
    listLabel->setBuddy(m_list);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_duplicate);
    buttons->addWidget(m_remove);
    auto *left = new QVBoxLayout;
    left->addWidget(listLabel);
    left->addWidget(m_list, 1);
    left->addLayout(buttons);

    // The editor is taller than a small screen; it scrolls instead of clipping its fields.
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_editor);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->viewport()->setAutoFillBackground(false); // the tab page's background, not a grey box
    m_editor->setAutoFillBackground(false);

    auto *layout = new QHBoxLayout(this);
    layout->addLayout(left);
    layout->addSpacing(8);
    layout->addWidget(scroll, 1);

    // popup(), not QPushButton::setMenu: the latter runs the menu in a nested event loop.
    const auto popupPresets = [this] { m_presetMenu->popup(m_add->mapToGlobal(QPoint(0, m_add->height()))); };
    connect(m_add, &QPushButton::clicked, this, popupPresets);
    connect(new QShortcut(QKeySequence::New, this), &QShortcut::activated, this, popupPresets);
    // Del on the list removes; a filter, not a window shortcut, so Del in a text field deletes text.
    m_list->installEventFilter(this);
    connect(m_duplicate, &QPushButton::clicked, this, &ProviderListPage::duplicateCurrent);
    connect(m_remove, &QPushButton::clicked, this, &ProviderListPage::removeCurrent);
    connect(m_list, &QListWidget::currentRowChanged, this, &ProviderListPage::showRow);
    connect(m_editor, &ProviderEditor::titleChanged, this, [this] { refreshRow(m_shownRow); });

    for (int row = 0; row < m_providers.size(); ++row) {
        m_list->addItem(QString());
        refreshRow(row);
    }
    select(currentId);
    if (m_list->currentRow() < 0 && m_list->count() > 0)
        m_list->setCurrentRow(0);
    updateButtons();
}

QList<ProviderSettings> ProviderListPage::providers() const
{
    QList<ProviderSettings> result = m_providers;
    if (m_shownRow >= 0 && m_shownRow < result.size())
        result[m_shownRow] = m_editor->provider();
    const QHash<QString, ProviderKeyState> keys = keyStates();
    for (ProviderSettings &p : result)
        p.apiKey = keys.value(p.id).typed;
    return result;
}

QString ProviderListPage::currentProviderId() const
{
    const int row = m_list->currentRow();
    return row >= 0 && row < m_providers.size() ? m_providers.at(row).id : QString();
}

QHash<QString, ProviderKeyState> ProviderListPage::keyStates() const
{
    QHash<QString, ProviderKeyState> result = m_keys;
    if (m_shownRow >= 0 && m_shownRow < m_providers.size()) {
        ProviderKeyState &state = result[m_providers.at(m_shownRow).id];
        if (state.loaded) {
            state.typed = m_editor->key();
            state.sessionOnly = !m_credentials || m_editor->isSessionOnly();
        }
    }
    return result;
}

bool ProviderListPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_list && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Delete)) {
        removeCurrent();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

QMessageBox *ProviderListPage::confirmation() const
{
    return m_confirmation.data();
}

void ProviderListPage::setKeyProblem(const QString &id, const QString &problem)
{
    storeEditor();
    m_keys[id].problem = problem;
    select(id);
    if (m_list->currentRow() == m_shownRow)
        showRow(m_shownRow);
}

void ProviderListPage::select(const QString &id)
{
    for (int row = 0; row < m_providers.size(); ++row) {
        if (m_providers.at(row).id == id)
            m_list->setCurrentRow(row);
    }
}

void ProviderListPage::addProvider(const ProviderSettings &settings)
{
    storeEditor();
    ProviderSettings copy = settings;
    m_keys.insert(copy.id, ProviderKeyState { {}, copy.apiKey, true, m_keychainProblem, !m_credentials });
    // Ask the keychain once for the new id (it has no key yet), so a missing keychain is said now, not on OK.
    if (m_credentials && m_keychainProblem.isEmpty())
        detach(readKey(copy.id), "ProviderListPage::readKey");
    copy.apiKey.clear();
    m_providers.append(copy);
    m_list->addItem(QString());
    refreshRow(int(m_providers.size()) - 1);
    m_list->setCurrentRow(int(m_providers.size()) - 1);
    updateButtons();
    m_editor->setFocus();
}

void ProviderListPage::duplicateCurrent()
{
    if (m_shownRow < 0)
        return;
    ProviderSettings copy = m_editor->provider();
    copy.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    copy.name = uniqueName(copy.name, namesOf(providers()));
    addProvider(copy); // the key comes along: same service, likely the same account
}

void ProviderListPage::removeCurrent()
{
    const int row = m_list->currentRow();
    if (row < 0 || m_providers.size() < 2 || m_confirmation)
        return;
    const QString id = m_providers.at(row).id;
    m_confirmation = new QMessageBox(QMessageBox::Question, tr("Remove provider"),
        tr("Remove “%1”? Its API key is removed from the keychain when you press OK.").arg(m_providers.at(row).name),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    m_confirmation->setObjectName(u"removeConfirmation"_s);
    m_confirmation->setAttribute(Qt::WA_DeleteOnClose);
    m_confirmation->setDefaultButton(QMessageBox::Cancel);
    connect(m_confirmation, &QMessageBox::finished, this, [this, id](int result) {
        m_confirmation.clear(); // answered; its deletion comes later, a new question may come sooner
        if (result != QMessageBox::Yes)
            return;
        for (int r = 0; r < m_providers.size(); ++r) {
            if (m_providers.at(r).id != id)
                continue;
            m_shownRow = -1; // the editor shows the row going away; do not store it back
            m_providers.removeAt(r);
            delete m_list->takeItem(r);
            showRow(m_list->currentRow());
            break;
        }
        updateButtons();
    });
    m_confirmation->open(); // window-modal without a nested event loop
}

void ProviderListPage::storeEditor()
{
    if (m_shownRow < 0 || m_shownRow >= m_providers.size())
        return;
    ProviderSettings edited = m_editor->provider();
    ProviderKeyState &state = m_keys[edited.id];
    if (state.loaded) {
        state.typed = edited.apiKey;
        state.sessionOnly = !m_credentials || m_editor->isSessionOnly();
    }
    edited.apiKey.clear();
    m_providers[m_shownRow] = edited;
}

void ProviderListPage::showRow(int row)
{
    if (row != m_shownRow)
        storeEditor();
    m_shownRow = row;
    if (row < 0 || row >= m_providers.size())
        return;
    const ProviderSettings &p = m_providers.at(row);
    m_editor->setProvider(p);
    if (!m_keys.contains(p.id) && !m_keychainProblem.isEmpty()) {
        m_keys.insert(p.id, ProviderKeyState { {}, {}, true, m_keychainProblem, false }); // no use asking again
    } else if (!m_keys.contains(p.id)) {
        m_keys.insert(p.id, ProviderKeyState {});
        detach(readKey(p.id), "ProviderListPage::readKey");
    }
    const ProviderKeyState &now = m_keys[p.id]; // readKey may have answered synchronously
    m_editor->setKey(now.typed, !now.loaded);
    m_editor->setKeyStorage(m_credentials != nullptr, now.problem, now.sessionOnly);
}

void ProviderListPage::refreshRow(int row)
{
    if (row < 0 || row >= m_providers.size())
        return;
    const ProviderSettings p = row == m_shownRow ? m_editor->provider() : m_providers.at(row);
    const QString name = p.name.isEmpty() ? tr("(unnamed)") : p.name;
    m_list->item(row)->setText(name);
    m_list->item(row)->setData(ProviderListDelegate::KindRole, providerKindLabel(p.kind));
    m_list->item(row)->setToolTip(p.baseUrl.toDisplayString());
}

void ProviderListPage::updateButtons()
{
    const bool selected = m_list->currentRow() >= 0;
    m_duplicate->setEnabled(selected);
    m_remove->setEnabled(selected && m_providers.size() > 1); // the app always needs one provider
}

QCoro::Task<> ProviderListPage::readKey(QString id)
{
    QPointer<ProviderListPage> self(this);
    const Result<QString> key = co_await m_credentials->readKey(id);
    if (!self || !m_keys.contains(id))
        co_return; // the dialog closed while the keychain answered
    ProviderKeyState &state = m_keys[id];
    const bool wasLoaded = state.loaded; // a profile added here: its typed key must stay
    state.loaded = true;
    if (key && !wasLoaded) {
        state.stored = *key;
        state.typed = *key;
    } else if (!key && key.error().kind == Error::Kind::Unavailable) {
        // No keychain means none for every profile: say so on each, including ones added later.
        m_keychainProblem = tr("%1 The key cannot be saved.").arg(key.error().message);
        for (ProviderKeyState &other : m_keys) {
            if (other.problem.isEmpty())
                other.problem = m_keychainProblem;
        }
    } else if (!key) {
        state.problem = key.error().message;
    }
    if (m_shownRow >= 0 && m_shownRow < m_providers.size()) {
        const ProviderKeyState &shown = m_keys[m_providers.at(m_shownRow).id];
        if (m_providers.at(m_shownRow).id == id)
            m_editor->setKey(shown.typed, false);
        m_editor->setKeyStorage(true, shown.problem, m_editor->isSessionOnly() || shown.sessionOnly);
    }
}

} // namespace ragdesk
