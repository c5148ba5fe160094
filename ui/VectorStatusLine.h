#pragma once

#include "core/storage/VectorStore.h"

#include <QLocale>
#include <QPointer>
#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;

namespace ragdesk {

class EmbeddingBackfill;

/// One line under a knowledge base's ingestion progress saying how far its chunks have vectors
/// ("Vectors: 312 of 900 chunks (embedding…)"), that it searches by keywords only, or why
/// embedding failed, with a Retry button. Follows EmbeddingBackfill's signals live.
class VectorStatusLine : public QWidget
{
    Q_OBJECT
public:
    /// What the line shows, as plain data so every case can be tested without a backfill.
    struct State {
        QString model; ///< the knowledge base's embedding model; empty: keyword search only
        std::optional<EmbeddingCoverage> coverage; ///< nullopt before the first pass
        QString error; ///< why the last pass stopped early
        bool running = false;
        bool available = true; ///< false: no backfill in this session (embedding not set up)
    };

    /// @p backfill may be null (no embedding settings); it must outlive the line.
    explicit VectorStatusLine(EmbeddingBackfill *backfill, QWidget *parent = nullptr);

    /// Shows @p id's status, read from the backfill, and follows its signals for it.
    void setKnowledgeBase(qint64 id, const QString &model);
    /// Shows @p state as is.
    void setState(const State &state);

    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] QString text() const;
    [[nodiscard]] bool showsError() const;
    [[nodiscard]] QPushButton *retryButton() const { return m_retry; }

    /// The line's text for @p state (digit grouping from @p locale).
    [[nodiscard]] static QString describe(const State &state, const QLocale &locale = QLocale());

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retry();
    void applyColour();
    void showText(const QString &text);
    void elide();

    QPointer<EmbeddingBackfill> m_backfill;
    qint64 m_knowledgeBaseId = 0;
    State m_state;
    QString m_fullText; ///< the label shows it elided to one line; the tooltip has all of it
    QLabel *m_text;
    QPushButton *m_retry;
};

} // namespace ragdesk
