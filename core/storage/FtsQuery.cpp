#include "core/storage/FtsQuery.h"

#include <QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ragdesk {

QString FtsQuery::fromUserText(const QString &text)
{
    // Any whitespace (tabs, newlines from a paste) separates words.
    QStringList words = text.simplified().split(u' ', Qt::SkipEmptyParts);
    if (words.isEmpty())
        return {};
    // The word being typed is the last one, unless a space already ended it.
    const QString typing = text.back().isSpace() ? QString() : words.last();
    words.removeIf([](const QString &word) {
        // The tokenizer drops punctuation, so such a phrase would be empty and match nothing.
        return std::ranges::none_of(word, [](QChar c) { return c.isLetterOrNumber(); });
    });
    if (words.isEmpty())
        return {};
    const bool prefixLast = !typing.isEmpty() && words.last() == typing;
    QStringList phrases;
    for (const QString &word : std::as_const(words)) {
        QString quoted = word;
        quoted.replace(u'"', u"\"\""_s);
        phrases.append(u'"' + quoted + u'"');
    }
    if (prefixLast)
        phrases.last().append(u'*');
    return phrases.join(u' ');
}

MatchedText FtsQuery::fromMarked(const QString &marked)
{
    MatchedText result;
    result.text.reserve(marked.size());
    qsizetype open = -1;
    for (const QChar c : marked) {
        if (c == openMarker().front()) {
            open = result.text.size();
        } else if (c == closeMarker().front()) {
            if (open >= 0 && result.text.size() > open)
                result.spans.append({open, result.text.size() - open});
            open = -1;
        } else {
            result.text.append(c);
        }
    }
    return result;
}

} // namespace ragdesk
