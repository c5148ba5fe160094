#pragma once

#include "core/storage/Assistant.h"

#include <QPointer>
#include <QWidget>

class QComboBox;

namespace ragdesk {

class AssistantCatalog;

/// The assistant a chat tab talks to: a compact combo of the catalog's assistants, ending in
/// "Manage assistants…". Follows the catalog: renamed assistants are renamed here, and when the
/// chosen one is deleted the tab falls back to the one for new chats.
class AssistantPicker : public QWidget
{
    Q_OBJECT
public:
    explicit AssistantPicker(AssistantCatalog *catalog, QWidget *parent = nullptr);

    /// The chosen assistant as the catalog holds it now.
    [[nodiscard]] Assistant assistant() const;
    /// Selects @p id; an unknown id selects the assistant for new chats. Emits nothing.
    void select(qint64 id);
    [[nodiscard]] QComboBox *combo() const { return m_combo; }
    /// Whether the catalog holds an assistant with @p id.
    [[nodiscard]] bool contains(qint64 id) const;

Q_SIGNALS:
    /// The user chose another assistant, or the chosen one changed or was deleted.
    void assistantChanged(const ragdesk::Assistant &assistant);
    void manageRequested();

private:
    void repopulate();
    void onActivated(int index);

    QPointer<AssistantCatalog> m_catalog;
    QComboBox *m_combo;
    Assistant m_current;
};

} // namespace ragdesk
