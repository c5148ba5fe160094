#include "core/chat/AssistantCatalog.h"

#include "core/storage/AssistantStore.h"

#include <QPointer>

#include <algorithm>

namespace ragdesk {

AssistantCatalog::AssistantCatalog(std::shared_ptr<AssistantStore> store, QObject *parent)
    : QObject(parent)
    , m_store(std::move(store))
{
}

QCoro::Task<Result<void>> AssistantCatalog::load()
{
    QPointer<AssistantCatalog> self(this);
    const auto store = m_store;
    auto loaded = co_await store->ensureDefault();
    if (!loaded)
        co_return std::unexpected(loaded.error());
    if (self) {
        m_assistants = std::move(*loaded);
        Q_EMIT assistantsChanged();
    }
    co_return {};
}

QCoro::Task<Result<void>> AssistantCatalog::save(QList<Assistant> ordered, QList<qint64> removed)
{
    QPointer<AssistantCatalog> self(this);
    const auto store = m_store;
    auto saved = co_await store->saveAll(std::move(ordered), std::move(removed));
    if (!saved)
        co_return std::unexpected(saved.error());
    if (self) {
        m_assistants = std::move(*saved);
        Q_EMIT assistantsChanged();
    }
    co_return {};
}

std::optional<Assistant> AssistantCatalog::find(qint64 id) const
{
    const auto it = std::ranges::find(m_assistants, id, &Assistant::id);
    return it == m_assistants.end() ? std::nullopt : std::optional<Assistant>(*it);
}

std::optional<Assistant> AssistantCatalog::findByName(const QString &name) const
{
    const auto it = std::ranges::find_if(m_assistants, [&](const Assistant &assistant) {
        return assistant.name.compare(name.trimmed(), Qt::CaseInsensitive) == 0;
    });
    return it == m_assistants.end() ? std::nullopt : std::optional<Assistant>(*it);
}

Assistant AssistantCatalog::forNewChats() const
{
    return m_assistants.isEmpty() ? Assistant::makeDefault() : m_assistants.first();
}

} // namespace ragdesk
