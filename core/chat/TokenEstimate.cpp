#include "core/chat/TokenEstimate.h"

#include "core/ingest/TokenEstimator.h"
#include "core/llm/ChatTypes.h"

namespace ragdesk {

// The counting rules are the chunker's (TokenEstimator), so a chunk costs the prompt what it
// cost when it was cut; this class only adds what is particular to prompts.

int TokenEstimate::text(QStringView text)
{
    return TokenEstimator::estimate(text);
}

int TokenEstimate::message(const ChatMessage &message)
{
    return messageOverhead + text(message.content);
}

qsizetype TokenEstimate::prefixWithin(QStringView text, int tokens)
{
    TokenEstimator counter;
    qsizetype fits = 0;
    for (qsizetype i = 0; i < text.size();) {
        // By code point, so a prefix never ends inside a surrogate pair.
        const bool pair = text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate();
        const char32_t codePoint = pair ? QChar::surrogateToUcs4(text[i], text[i + 1]) : char32_t(text[i].unicode());
        counter.add(TokenEstimator::classify(codePoint));
        if (counter.total() > tokens)
            break;
        i += pair ? 2 : 1;
        fits = i;
    }
    return fits;
}

} // namespace ragdesk
