#include "core/retrieval/RetrievalMetrics.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;

namespace ragdesk {

namespace {
/// Whether @p hit is the source @p relevant names.
bool matches(const RetrievalHit &hit, const QString &relevant)
{
    const qsizetype hash = relevant.lastIndexOf(u'#');
    const QString path = hash < 0 ? relevant : relevant.left(hash);
    const QString normalized = QString(hit.documentPath).replace(u'\\', u'/');
    if (!(normalized == path || normalized.endsWith(u'/' + path)))
        return false;
    return hash < 0 || hit.page == relevant.mid(hash + 1).toInt();
}
} // namespace

EvalScores RetrievalMetrics::score(const QList<RetrievalHit> &hits, const QStringList &relevant)
{
    EvalScores scores;
    if (relevant.isEmpty())
        return scores;
    // Walk the hits once, giving each relevant source the rank of its first chunk and each
    // other source a rank of its own, so ranks are over distinct sources.
    QSet<QString> seenSources;
    QList<int> relevantRanks; // 0-based source ranks at which a not yet found relevant entry appears
    QSet<qsizetype> found;
    int rank = 0;
    for (const RetrievalHit &hit : hits) {
        const QString source = hit.documentPath + u'#' + QString::number(hit.page);
        if (seenSources.contains(source))
            continue;
        seenSources.insert(source);
        for (qsizetype i = 0; i < relevant.size(); ++i) {
            if (!found.contains(i) && matches(hit, relevant.at(i))) {
                found.insert(i);
                relevantRanks.append(rank);
            }
        }
        ++rank;
    }
    const double total = double(relevant.size());
    double dcg = 0;
    for (int at : std::as_const(relevantRanks)) {
        if (at < 5)
            scores.recallAt5 += 1.0 / total;
        if (at < 10) {
            scores.recallAt10 += 1.0 / total;
            dcg += 1.0 / std::log2(double(at) + 2.0);
        }
    }
    if (!relevantRanks.isEmpty())
        scores.reciprocalRank = 1.0 / (double(*std::ranges::min_element(relevantRanks)) + 1.0);
    double ideal = 0;
    for (int i = 0; i < std::min<qsizetype>(relevant.size(), 10); ++i)
        ideal += 1.0 / std::log2(double(i) + 2.0);
    scores.ndcgAt10 = ideal > 0 ? dcg / ideal : 0;
    return scores;
}

EvalScores RetrievalMetrics::mean(const QList<EvalScores> &scores)
{
    EvalScores sum;
    if (scores.isEmpty())
        return sum;
    for (const EvalScores &one : scores) {
        sum.recallAt5 += one.recallAt5;
        sum.recallAt10 += one.recallAt10;
        sum.reciprocalRank += one.reciprocalRank;
        sum.ndcgAt10 += one.ndcgAt10;
    }
    const double n = double(scores.size());
    return {sum.recallAt5 / n, sum.recallAt10 / n, sum.reciprocalRank / n, sum.ndcgAt10 / n};
}

Result<EvalQuery> RetrievalMetrics::parseLine(const QByteArray &line)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return fail(Error::Kind::File, u"not a JSON object (%1)"_s.arg(error.errorString()));
    const QJsonObject object = document.object();
    EvalQuery query;
    query.query = object.value(u"query"_s).toString().trimmed();
    if (query.query.isEmpty())
        return fail(Error::Kind::File, u"\"query\" is missing or empty"_s);
    const QJsonArray relevant = object.value(u"relevant"_s).toArray();
    for (const QJsonValue &value : relevant) {
        if (value.isString() && !value.toString().isEmpty())
            query.relevant.append(value.toString());
    }
    if (query.relevant.isEmpty())
        return fail(Error::Kind::File, u"\"relevant\" must list at least one path"_s);
    return query;
}

} // namespace ragdesk
