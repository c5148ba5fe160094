#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;

namespace ragdesk {

struct IngestProgress;

/// The status bar's compact ingestion readout ("Indexing 120/1,000 files" and a small bar),
/// shown only while files are indexed. Clicking it asks for the Knowledge Bases tab.
class IngestStatusReadout : public QWidget
{
    Q_OBJECT
public:
    explicit IngestStatusReadout(QWidget *parent = nullptr);

    /// All knowledge bases together (the queue's progress for id 0).
    void setProgress(const IngestProgress &progress);
    [[nodiscard]] QString text() const;

Q_SIGNALS:
    void clicked();

protected:
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    QLabel *m_label;
    QProgressBar *m_bar;
};

} // namespace ragdesk
