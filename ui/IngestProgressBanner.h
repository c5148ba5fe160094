#pragma once

#include "core/ingest/IngestQueue.h"

#include <QLocale>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace ragdesk {

/// A knowledge base's ingestion at a glance: a progress bar and one line of figures while files
/// are indexed ("120 of 1,000 files · 45 MB of 300 MB · 12,345 chunks · about 2 min left"),
/// a one-line summary when idle.
class IngestProgressBanner : public QWidget
{
    Q_OBJECT
public:
    explicit IngestProgressBanner(QWidget *parent = nullptr);

    void setProgress(const IngestProgress &progress);
    [[nodiscard]] QString text() const;
    [[nodiscard]] bool isBusy() const;

    /// The figures as one line, for @p locale (digit grouping, units).
    [[nodiscard]] static QString describe(const IngestProgress &progress, const QLocale &locale = QLocale());
    /// "about 2 min left"; empty when unknown.
    [[nodiscard]] static QString describeEta(int seconds);

private:
    QLabel *m_text;
    QProgressBar *m_bar;
};

} // namespace ragdesk
