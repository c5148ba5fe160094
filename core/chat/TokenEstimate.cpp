#include "core/chat/TokenEstimate.h"

#include "core/llm/ChatTypes.h"
#include "core/storage/SearchTokenizer.h"

namespace ragdesk {

namespace {

/// Walks @p text by code point, so a CJK character outside the BMP counts once.
template<typename Visit> void forEachCodePoint(QStringView text, Visit visit)
{
    for (qsizetype i = 0; i < text.size();) {
        const QChar c = text[i];
        if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            if (!visit(QChar::surrogateToUcs4(c, text[i + 1]), i + 2))
                return;
            i += 2;
        } else {
            if (!visit(char32_t(c.unicode()), i + 1))
                return;
            ++i;
        }
    }
}

int tokensFor(qsizetype cjk, qsizetype other)
{
    const qsizetype otherTokens = (other + TokenEstimate::charsPerToken - 1) / TokenEstimate::charsPerToken;
    return int(cjk + otherTokens);
}

} // namespace

int TokenEstimate::text(QStringView text)
{
    qsizetype cjk = 0;
    qsizetype other = 0;
    forEachCodePoint(text, [&](char32_t c, qsizetype) {
        ++(SearchTokenizer::isCjk(c) ? cjk : other);
        return true;
    });
    return tokensFor(cjk, other);
}

int TokenEstimate::message(const ChatMessage &message)
{
    return messageOverhead + text(message.content);
}

qsizetype TokenEstimate::prefixWithin(QStringView text, int tokens)
{
    qsizetype cjk = 0;
    qsizetype other = 0;
    qsizetype fits = 0;
    forEachCodePoint(text, [&](char32_t c, qsizetype end) {
        ++(SearchTokenizer::isCjk(c) ? cjk : other);
        if (tokensFor(cjk, other) > tokens)
            return false;
        fits = end;
        return true;
    });
    return fits;
}

} // namespace ragdesk
