#pragma once

#include <QByteArray>
#include <QList>
#include <QWidget>

#include <utility>

class QTableWidget;

namespace ragdesk {

/// Extra HTTP headers of a provider as a two-column table (name, value) with Add and Remove.
class HeaderTable : public QWidget
{
    Q_OBJECT
public:
    explicit HeaderTable(QWidget *parent = nullptr);

    void setHeaders(const QList<std::pair<QByteArray, QByteArray>> &headers);
    /// Rows with an empty name are left out; names and values are trimmed.
    [[nodiscard]] QList<std::pair<QByteArray, QByteArray>> headers() const;
    [[nodiscard]] QTableWidget *table() const { return m_table; }

    void addRow();
    void removeCurrentRow();

Q_SIGNALS:
    void changed();

private:
    QTableWidget *m_table;
};

} // namespace ragdesk
