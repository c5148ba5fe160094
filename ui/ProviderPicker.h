#pragma once

#include "core/foundation/CancelToken.h"

#include <QCoroTask>
#include <QHash>
#include <QPointer>
#include <QWidget>

class QComboBox;

namespace ragdesk {

class ProviderRegistry;

/// The provider and model a chat tab talks to: two compact combos above the composer. The model
/// list is fetched from the provider's own endpoint the first time its popup opens, so a tab
/// never waits on a server it does not use; any model name can also be typed.
class ProviderPicker : public QWidget
{
    Q_OBJECT
public:
    explicit ProviderPicker(ProviderRegistry *registry, QWidget *parent = nullptr);
    ~ProviderPicker() override;

    [[nodiscard]] QString providerId() const;
    [[nodiscard]] QString model() const;
    /// Selects @p providerId (the default when empty; unchanged when unknown) and @p model (its
    /// default when empty).
    void select(const QString &providerId, const QString &model);

Q_SIGNALS:
    void selectionChanged(const QString &providerId, const QString &model);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void repopulate();
    void onProviderChosen();
    QCoro::Task<> fetchModels(QString providerId);

    QPointer<ProviderRegistry> m_registry;
    QComboBox *m_provider;
    QComboBox *m_model;
    QString m_fetchedFor; ///< the provider whose models the list holds
    QHash<QString, QString> m_defaults; ///< each provider's default model, as last listed
    CancelToken m_fetchCancel;
};

} // namespace ragdesk
