#pragma once

#include "core/storage/VectorStore.h"

#include <QCoroTask>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <memory>

namespace ragdesk {

class EmbeddingService;
class KnowledgeBaseStore;
class VectorIndex;

/// Gives every chunk of a knowledge base a vector of the knowledge base's embedding model, in
/// the background after ingestion: reads chunks without one in batches (reader), fetches their
/// vectors (network), stores them (writer) and hands them to the VectorIndex. Until it is done
/// retrieval runs keyword-only for the rest, and coverage() says how far it got.
///
/// A failure (server down, unknown model) stops that knowledge base's run with a reason for
/// the UI; the next schedule() tries again. UI thread only; nothing here blocks it.
class EmbeddingBackfill : public QObject
{
    Q_OBJECT
public:
    struct Parts {
        std::shared_ptr<KnowledgeBaseStore> knowledgeBases;
        std::shared_ptr<VectorStore> vectors;
        VectorIndex *index = nullptr;
        EmbeddingService *embeddings = nullptr;
    };
    static constexpr int batchSize = 256; ///< chunks read, embedded and stored per round

    explicit EmbeddingBackfill(Parts parts, QObject *parent = nullptr);
    ~EmbeddingBackfill() override;

    /// Runs a pass over every knowledge base soon; calls in a burst (files finishing one after
    /// another) collapse into one pass, and a call during a pass queues one more.
    void schedule();
    /// Stops after the batch in flight; for quitting.
    void stop();

    /// The knowledge base's progress with its current model; nullopt before its first pass.
    [[nodiscard]] std::optional<EmbeddingCoverage> coverage(qint64 knowledgeBaseId) const;
    /// Why the last pass over the knowledge base stopped early; empty if it did not.
    [[nodiscard]] QString error(qint64 knowledgeBaseId) const { return m_errors.value(knowledgeBaseId); }
    [[nodiscard]] bool isRunning() const { return m_running; }

Q_SIGNALS:
    void progressChanged(qint64 knowledgeBaseId, const EmbeddingCoverage &coverage);
    void failed(qint64 knowledgeBaseId, const QString &message);
    /// A pass ended (every knowledge base done, failed or stopped).
    void finished();

private:
    QCoro::Task<> runPasses();
    QCoro::Task<Result<void>> backfill(qint64 knowledgeBaseId, QString model);

    Parts m_parts;
    QTimer m_debounce;
    bool m_running = false;
    bool m_again = false;
    bool m_stopped = false;
    QHash<qint64, EmbeddingCoverage> m_coverage;
    QHash<qint64, QString> m_errors;
};

} // namespace ragdesk
