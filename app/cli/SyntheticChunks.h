#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <random>

namespace ragdesk::cli {

/// Text and vectors for bench-retrieval's knowledge bases, from fixed seeds. Words follow a
/// Zipf distribution over a pseudo-word vocabulary, as word frequencies in real text do, and
/// each document has a topic whose words it uses more often and whose centroid its chunk
/// vectors lie around: so keyword queries match thousands of chunks, not all or none, and
/// vectors form clusters like real embeddings instead of uniform noise.
class SyntheticChunks
{
public:
    static constexpr int dimensions = 384;
    static constexpr int topics = 500;

    SyntheticChunks();

    /// About @p words words of @p topic's document, deterministic in @p seed.
    [[nodiscard]] QString text(int topic, quint64 seed, int words = 80) const;
    /// A unit vector near @p topic's centroid, deterministic in @p seed.
    [[nodiscard]] QList<float> vector(int topic, quint64 seed) const;
    /// A query of @p words words a user interested in @p topic might type.
    [[nodiscard]] QString query(int topic, quint64 seed, int words) const;

private:
    [[nodiscard]] const QString &zipfWord(std::mt19937_64 &random) const;

    QStringList m_vocabulary;
    std::vector<double> m_cumulative; ///< Zipf CDF over m_vocabulary
    std::vector<QList<int>> m_topicWords;
    std::vector<std::vector<float>> m_centroids;
};

} // namespace ragdesk::cli
