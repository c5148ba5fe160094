#pragma once

#include "app/cli/SyntheticChunks.h"
#include "core/chat/TurnPreparation.h"
#include "core/foundation/Error.h"
#include "core/retrieval/EmbeddingService.h"

#include <QCoroTask>
#include <QNetworkAccessManager>
#include <QTextStream>

#include <memory>

namespace ragdesk {
class IngestionStack;
class ProfileDatabase;
class RetrievalStack;
} // namespace ragdesk

namespace ragdesk::cli {

/// A profile of SyntheticKnowledgeBases kept in <root>/chunks-N between runs (the layout
/// bench-retrieval uses, so either command reuses the other's corpus), opened for search:
/// keywords and vectors, the query embedded by the server of @p embedding.
class CachedSyntheticProfile
{
public:
    /// The root when the user names none: shared with bench-retrieval.
    static QString defaultRoot();

    /// Opens the corpus of @p chunks chunks under @p root, building it first when it is missing
    /// or was left half-built (progress goes to @p progress). Then runs one hybrid search,
    /// which loads the vectors, so that the first measured turn does not pay for it.
    static QCoro::Task<Result<std::unique_ptr<CachedSyntheticProfile>>> open(QString root, qint64 chunks,
                                                                             EmbeddingService::SettingsFor embedding,
                                                                             QTextStream &progress);
    ~CachedSyntheticProfile();

    CachedSyntheticProfile(const CachedSyntheticProfile &) = delete;
    CachedSyntheticProfile &operator=(const CachedSyntheticProfile &) = delete;

    /// HybridRetriever::search on this corpus; valid while this object lives.
    [[nodiscard]] RetrieveFunction retrieve() const;
    [[nodiscard]] const SyntheticChunks &text() const { return m_text; }
    [[nodiscard]] QString directory() const { return m_directory; }
    [[nodiscard]] bool wasCached() const { return m_cached; }
    /// The warm-up search, vector loading included.
    [[nodiscard]] double warmUpMs() const { return m_warmUpMs; }

private:
    CachedSyntheticProfile() = default;

    SyntheticChunks m_text;
    QString m_directory;
    bool m_cached = false;
    double m_warmUpMs = 0;
    QNetworkAccessManager m_network;
    std::shared_ptr<ProfileDatabase> m_profile;
    std::unique_ptr<IngestionStack> m_ingestion;
    std::unique_ptr<RetrievalStack> m_retrieval; ///< declared last: destroyed before the stack it follows
};

} // namespace ragdesk::cli
