#include "tests/support/FakeSourceQuoter.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

namespace ragdesk::testing {

namespace {

QSet<QString> wordsOf(const QString &text)
{
    static const QRegularExpression word(u"[\\p{L}\\p{N}]{4,}"_s);
    QSet<QString> words;
    for (auto it = word.globalMatch(text.toLower()); it.hasNext();)
        words.insert(it.next().captured());
    return words;
}

/// The text of every message with @p role: OpenAI and Ollama keep the system prompt among the
/// messages, Anthropic in a "system" field.
QStringList contentsOf(const QJsonObject &body, const QString &role)
{
    QStringList contents;
    if (role == u"system" && body.value(u"system"_s).isString())
        contents.append(body.value(u"system"_s).toString());
    for (const QJsonValue &value : body.value(u"messages"_s).toArray()) {
        const QJsonObject message = value.toObject();
        if (message.value(u"role"_s).toString() == role)
            contents.append(message.value(u"content"_s).toString());
    }
    return contents;
}

} // namespace

QList<FakeSourceQuoter::Source> FakeSourceQuoter::sourcesIn(const QString &userMessage)
{
    static const QRegularExpression header(u"^\\[(\\d+)\\] title: (.*?)(?: \\| page: (\\d+))?(?: \\| section: .*)?$"_s);
    static const QRegularExpression fenceOpen(u"^(`{3,})text$"_s);
    QList<Source> sources;
    const QStringList lines = userMessage.split(u'\n');
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        const QRegularExpressionMatch head = header.match(lines.at(i));
        const QRegularExpressionMatch fence = fenceOpen.match(lines.at(i + 1));
        if (!head.hasMatch() || !fence.hasMatch())
            continue;
        Source source;
        source.number = head.captured(1).toInt();
        source.title = head.captured(2);
        source.page = head.captured(3).toInt();
        QStringList text;
        qsizetype j = i + 2;
        for (; j < lines.size() && lines.at(j) != fence.captured(1); ++j)
            text.append(lines.at(j));
        source.text = text.join(u'\n');
        sources.append(source);
        i = j;
    }
    return sources;
}

QString FakeSourceQuoter::questionIn(const QString &userMessage)
{
    const qsizetype at = userMessage.lastIndexOf(u"Question: "_s);
    return at < 0 ? userMessage : userMessage.mid(at + 10);
}

int FakeSourceQuoter::choose(const QList<Source> &sources, const QString &question)
{
    if (sources.isEmpty())
        return 0;
    const QSet<QString> asked = wordsOf(question);
    int best = sources.first().number;
    qsizetype bestShared = 0;
    for (const Source &source : sources) {
        const qsizetype shared = QSet<QString>(asked).intersect(wordsOf(source.text)).size();
        if (shared > bestShared) {
            best = source.number;
            bestShared = shared;
        }
    }
    return best;
}

QString FakeSourceQuoter::quote(const Source &source, bool marker)
{
    const QStringList words = source.text.simplified().split(u' ', Qt::SkipEmptyParts).mid(0, kQuotedWords);
    QString sentence = u"According to the documents, "_s + words.join(u' ');
    while (!sentence.isEmpty() && !sentence.back().isLetterOrNumber())
        sentence.chop(1); // "... brûlée." would end the sentence before the marker
    if (marker)
        sentence += u" ["_s + QString::number(source.number) + u']';
    return sentence + u'.';
}

namespace {
bool systemMentions(const QJsonObject &body, const QString &words)
{
    const QStringList systems = contentsOf(body, u"system"_s);
    return std::any_of(systems.cbegin(), systems.cend(),
                       [&](const QString &system) { return system.contains(words, Qt::CaseInsensitive); });
}
} // namespace

bool FakeSourceQuoter::isRefineRequest(const QJsonObject &body)
{
    return systemMentions(body, u"standalone search query"_s);
}

bool FakeSourceQuoter::isTitleRequest(const QJsonObject &body)
{
    return systemMentions(body, u"you name conversations"_s);
}

std::optional<QString> FakeSourceQuoter::replyFor(const FakeLlmOptions &options, const QJsonObject &body)
{
    if (!options.refineReply.isEmpty() && isRefineRequest(body))
        return options.refineReply;
    if (!options.titleReply.isEmpty() && isTitleRequest(body))
        return options.titleReply;
    if (options.quoteSources == FakeLlmOptions::QuoteSources::Off)
        return std::nullopt;
    const QStringList users = contentsOf(body, u"user"_s);
    const QString last = users.isEmpty() ? QString() : users.last();
    const QList<Source> sources = sourcesIn(last);
    const int chosen = choose(sources, questionIn(last));
    if (chosen == 0)
        return u"The documents do not say."_s;
    const auto source = std::find_if(sources.cbegin(), sources.cend(), [&](const Source &s) { return s.number == chosen; });
    return quote(*source, options.quoteSources == FakeLlmOptions::QuoteSources::WithMarker);
}

} // namespace ragdesk::testing
