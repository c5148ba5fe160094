#include "app/cli/SyntheticChunks.h"

#include <QSet>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace ragdesk::cli {

namespace {
constexpr int vocabularySize = 20'000;
constexpr int wordsPerTopic = 30;
constexpr double topicShare = 0.3; ///< share of a chunk's words taken from its topic
constexpr double noise = 0.045;    ///< per-dimension spread around the centroid (cosine ~0.7)

QString pseudoWord(std::mt19937_64 &random)
{
    static const QStringList onsets{u"b"_s, u"c"_s, u"d"_s, u"f"_s, u"g"_s, u"k"_s, u"l"_s, u"m"_s, u"n"_s,
                                    u"p"_s, u"r"_s, u"s"_s, u"t"_s, u"v"_s, u"tr"_s, u"st"_s, u"pl"_s, u"gr"_s};
    static const QStringList vowels{u"a"_s, u"e"_s, u"i"_s, u"o"_s, u"u"_s, u"ai"_s, u"ou"_s};
    QString word;
    const int syllables = 2 + int(random() % 3);
    for (int i = 0; i < syllables; ++i)
        word += onsets.at(qsizetype(random() % quint64(onsets.size()))) + vowels.at(qsizetype(random() % quint64(vowels.size())));
    return word;
}
} // namespace

SyntheticChunks::SyntheticChunks()
{
    std::mt19937_64 random(42);
    QSet<QString> seen;
    while (m_vocabulary.size() < vocabularySize) {
        QString word = pseudoWord(random);
        if (!seen.contains(word)) {
            seen.insert(word);
            m_vocabulary.append(std::move(word));
        }
    }
    double sum = 0;
    m_cumulative.reserve(vocabularySize);
    for (int rank = 1; rank <= vocabularySize; ++rank) {
        sum += 1.0 / rank;
        m_cumulative.push_back(sum);
    }
    for (double &value : m_cumulative)
        value /= sum;

    std::normal_distribution<float> gaussian;
    for (int topic = 0; topic < topics; ++topic) {
        QList<int> words;
        // Topic words come from the middle of the frequency range: rare enough to be specific.
        for (int i = 0; i < wordsPerTopic; ++i)
            words.append(200 + int(random() % (vocabularySize - 200)));
        m_topicWords.push_back(words);
        std::vector<float> centroid(dimensions);
        double norm = 0;
        for (float &value : centroid) {
            value = gaussian(random);
            norm += double(value) * value;
        }
        for (float &value : centroid)
            value = float(value / std::sqrt(norm));
        m_centroids.push_back(std::move(centroid));
    }
}

const QString &SyntheticChunks::zipfWord(std::mt19937_64 &random) const
{
    const double u = std::uniform_real_distribution<double>(0, 1)(random);
    const auto it = std::lower_bound(m_cumulative.begin(), m_cumulative.end(), u);
    return m_vocabulary.at(qsizetype(std::min<std::ptrdiff_t>(it - m_cumulative.begin(), vocabularySize - 1)));
}

QString SyntheticChunks::text(int topic, quint64 seed, int words) const
{
    std::mt19937_64 random(seed);
    const QList<int> &topicWords = m_topicWords[size_t(topic % topics)];
    QString result;
    result.reserve(words * 8);
    for (int i = 0; i < words; ++i) {
        if (i > 0)
            result += (i % 12 == 0) ? u". "_s : u" "_s;
        const bool fromTopic = std::uniform_real_distribution<double>(0, 1)(random) < topicShare;
        result += fromTopic ? m_vocabulary.at(topicWords.at(qsizetype(random() % wordsPerTopic))) : zipfWord(random);
    }
    return result + u'.';
}

QList<float> SyntheticChunks::vector(int topic, quint64 seed) const
{
    std::mt19937_64 random(seed);
    std::normal_distribution<float> gaussian(0, float(noise));
    const std::vector<float> &centroid = m_centroids[size_t(topic % topics)];
    QList<float> result(dimensions);
    double norm = 0;
    for (int i = 0; i < dimensions; ++i) {
        result[i] = centroid[size_t(i)] + gaussian(random);
        norm += double(result[i]) * result[i];
    }
    for (float &value : result)
        value = float(value / std::sqrt(norm));
    return result;
}

QString SyntheticChunks::query(int topic, quint64 seed, int words) const
{
    std::mt19937_64 random(seed);
    const QList<int> &topicWords = m_topicWords[size_t(topic % topics)];
    QStringList result;
    // Mostly the topic's words, plus a common word for longer queries, as people type.
    for (int i = 0; i < words; ++i) {
        if (i == words - 1 && words > 2)
            result.append(zipfWord(random));
        else
            result.append(m_vocabulary.at(topicWords.at(qsizetype(random() % wordsPerTopic))));
    }
    return result.join(u' ');
}

} // namespace ragdesk::cli
