#include "tests/support/HashingEmbedder.h"

#include <QSet>

#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace ragdesk::testing {

namespace {

quint64 fnv1a(QStringView text, quint64 salt)
{
    quint64 hash = 14695981039346656037ULL ^ salt;
    for (const QChar c : text) {
        hash ^= c.unicode();
        hash *= 1099511628211ULL;
    }
    // FNV's low bits mix poorly for short keys; a final avalanche spreads them over the buckets.
    hash ^= hash >> 33;
    hash *= 0xff51afd7ed558ccdULL;
    hash ^= hash >> 33;
    return hash;
}

QString stem(QString word)
{
    // Longest first, and only when a real stem of 3+ characters is left ("is" stays "is").
    static const std::array suffixes = {u"ations"_s, u"ation"_s, u"ings"_s, u"ing"_s, u"ies"_s,
                                        u"ed"_s,     u"es"_s,    u"ly"_s,   u"s"_s};
    for (const QString &suffix : suffixes) {
        if (word.size() - suffix.size() >= 3 && word.endsWith(suffix)) {
            word.chop(suffix.size());
            // "resetting" -> "resett" -> "reset", "stopped" -> "stopp" -> "stop".
            const bool doubled = word.size() >= 4 && word.back() == word.at(word.size() - 2) && !word.back().isDigit()
                && word.back() != u'l' && word.back() != u's' && word.back() != u'z';
            if (doubled && (suffix.startsWith(u'i') || suffix == u"ed"))
                word.chop(1);
            break;
        }
    }
    return word;
}

/// Words so common they would make every English text look alike.
bool isStopWord(const QString &word)
{
    static const QSet<QString> words{
        u"a"_s,    u"an"_s,   u"the"_s,  u"of"_s,   u"to"_s,   u"in"_s,   u"on"_s,    u"for"_s,  u"and"_s,
        u"or"_s,   u"is"_s,   u"are"_s,  u"was"_s,  u"were"_s, u"be"_s,   u"it"_s,    u"this"_s, u"that"_s,
        u"with"_s, u"as"_s,   u"at"_s,   u"by"_s,   u"from"_s, u"how"_s,  u"do"_s,    u"doe"_s,  u"i"_s,
        u"my"_s,   u"me"_s,   u"you"_s,  u"your"_s, u"we"_s,   u"what"_s, u"which"_s,
    };
    return words.contains(word);
}

void add(QList<float> &vector, QStringView feature, quint64 salt, float weight)
{
    const quint64 hash = fnv1a(feature, salt);
    const auto bucket = static_cast<qsizetype>(hash % static_cast<quint64>(vector.size()));
    vector[bucket] += (hash >> 63) != 0 ? -weight : weight;
}

} // namespace

QStringList HashingEmbedder::terms(QStringView text)
{
    QStringList words;
    QString current;
    for (const QChar c : text) {
        if (c.isLetterOrNumber()) {
            current += c.toLower();
        } else if (!current.isEmpty()) {
            words.append(stem(current));
            current.clear();
        }
    }
    if (!current.isEmpty())
        words.append(stem(current));
    // Stop words are dropped unless nothing else is left ("to be or not to be" still has a vector).
    QStringList content;
    for (const QString &word : std::as_const(words)) {
        if (!isStopWord(word))
            content.append(word);
    }
    return content.isEmpty() ? words : content;
}

QList<float> HashingEmbedder::embed(QStringView text, int dimensions)
{
    QList<float> vector(qMax(1, dimensions), 0.0f);
    for (const QString &word : terms(text)) {
        // Whole words carry the meaning; trigrams make "embedding" and "embeddings" or a typo close.
        add(vector, word, 1, 1.0f);
        const QString padded = u'#' + word + u'#';
        for (qsizetype i = 0; i + 3 <= padded.size(); ++i)
            add(vector, QStringView(padded).sliced(i, 3), 2, 0.25f);
    }
    double norm = 0;
    for (const float value : std::as_const(vector))
        norm += static_cast<double>(value) * value;
    if (norm > 0) {
        const double scale = 1.0 / std::sqrt(norm);
        for (float &value : vector)
            value = static_cast<float>(value * scale);
    }
    return vector;
}

double HashingEmbedder::cosine(const QList<float> &a, const QList<float> &b)
{
    if (a.size() != b.size())
        return 0;
    double dot = 0;
    double normA = 0;
    double normB = 0;
    for (qsizetype i = 0; i < a.size(); ++i) {
        dot += static_cast<double>(a[i]) * b[i];
        normA += static_cast<double>(a[i]) * a[i];
        normB += static_cast<double>(b[i]) * b[i];
    }
    if (normA <= 0 || normB <= 0)
        return 0;
    return dot / std::sqrt(normA * normB);
}

} // namespace ragdesk::testing
