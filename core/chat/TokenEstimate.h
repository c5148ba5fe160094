#pragma once

#include <QStringView>

namespace ragdesk {

struct ChatMessage;

/// A rough, tokenizer-free token count for fitting a prompt into a context window.
///
/// The heuristic: one token per CJK character (Han, kana, Hangul, as SearchTokenizer::isCjk
/// defines them) and one per started group of four other characters, plus a fixed overhead per
/// message for the role markers chat templates add. BPE tokenizers average three to four Latin
/// characters per token and about one per CJK character; rounding up errs on the side of a
/// prompt that fits. It lives apart from PromptBuilder so a real tokenizer can replace it.
///
/// The estimate is subadditive (text(a + b) <= text(a) + text(b)), so a prompt whose pieces fit
/// one by one also fits as a whole.
class TokenEstimate
{
public:
    /// Tokens a chat template spends on one message's role and separators.
    static constexpr int messageOverhead = 4;
    /// Characters that make one token outside CJK scripts.
    static constexpr int charsPerToken = 4;

    static int text(QStringView text);
    static int message(const ChatMessage &message);
    /// The length (in UTF-16 units) of the longest prefix of @p text whose estimate is at most
    /// @p tokens; never splits a surrogate pair.
    static qsizetype prefixWithin(QStringView text, int tokens);
};

} // namespace ragdesk
