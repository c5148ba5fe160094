#pragma once

#include <QStringView>

namespace ragdesk {

struct ChatMessage;

/// A tokenizer-free token count for fitting a prompt into a context window: the chunker's
/// TokenEstimator (which errs high for prose, so prompts fit) plus a fixed overhead per message
/// for the role markers chat templates add. It lives apart from PromptBuilder so a real
/// tokenizer can replace it.
///
/// The estimate is subadditive (text(a + b) <= text(a) + text(b)), so a prompt whose pieces fit
/// one by one also fits as a whole.
class TokenEstimate
{
public:
    /// Tokens a chat template spends on one message's role and separators.
    static constexpr int messageOverhead = 4;

    static int text(QStringView text);
    static int message(const ChatMessage &message);
    /// The length (in UTF-16 units) of the longest prefix of @p text whose estimate is at most
    /// @p tokens; never splits a surrogate pair.
    static qsizetype prefixWithin(QStringView text, int tokens);
};

} // namespace ragdesk
