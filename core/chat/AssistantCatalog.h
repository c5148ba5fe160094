#pragma once

#include "core/foundation/Error.h"
#include "core/storage/Assistant.h"

#include <QCoroTask>
#include <QObject>

#include <memory>
#include <optional>

namespace ragdesk {

class AssistantStore;

/// The profile's assistants in memory, for the chat tabs' pickers and the CLI: loaded once,
/// saved through AssistantStore, and announced when they change. Lives on the UI thread.
class AssistantCatalog : public QObject
{
    Q_OBJECT
public:
    explicit AssistantCatalog(std::shared_ptr<AssistantStore> store, QObject *parent = nullptr);

    /// Reads the stored assistants, creating the default one on first start.
    QCoro::Task<Result<void>> load();
    /// Stores the Assistants dialog's result and replaces the list with what was stored.
    QCoro::Task<Result<void>> save(QList<Assistant> ordered, QList<qint64> removed);

    [[nodiscard]] const QList<Assistant> &assistants() const { return m_assistants; }
    [[nodiscard]] std::optional<Assistant> find(qint64 id) const;
    /// Case-insensitive, for `ragdesk-cli ask --assistant NAME`.
    [[nodiscard]] std::optional<Assistant> findByName(const QString &name) const;
    /// The first assistant of the list; the built-in default before load() (or if it failed),
    /// so a chat can always start.
    [[nodiscard]] Assistant forNewChats() const;

Q_SIGNALS:
    void assistantsChanged();

private:
    std::shared_ptr<AssistantStore> m_store;
    QList<Assistant> m_assistants;
};

} // namespace ragdesk
