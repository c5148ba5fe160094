#pragma once

#include "tests/support/FakeLlmOptions.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace ragdesk::testing {

/// The fake server's "quote the source" answers: it reads the numbered, fenced sources the way
/// PromptBuilder writes them into the last user message, picks the one that shares most words
/// with the question, and quotes its first words, with or without its marker. Pure.
class FakeSourceQuoter
{
public:
    /// One "[n] title: ... | page: N" block.
    struct Source {
        int number = 0;
        QString title;
        int page = 0; ///< 0 when the header has none
        QString text; ///< inside the fence
    };

    static constexpr int kQuotedWords = 12;

    [[nodiscard]] static QList<Source> sourcesIn(const QString &userMessage);
    /// The text after the last "Question: ", or the whole message when there is none.
    [[nodiscard]] static QString questionIn(const QString &userMessage);
    /// The number of the source sharing most distinct words of four letters or more with
    /// @p question; the first on a tie, and 1 when none shares any. 0 without sources.
    [[nodiscard]] static int choose(const QList<Source> &sources, const QString &question);
    /// "According to the documents, <first words of source k> [k]." (no marker when asked).
    [[nodiscard]] static QString quote(const Source &source, bool marker);

    /// Whether @p body asks to rewrite a question into a search query (QuestionRefiner's request).
    [[nodiscard]] static bool isRefineRequest(const QJsonObject &body);
    /// Whether @p body asks for a conversation's title (ConversationTitle's request).
    [[nodiscard]] static bool isTitleRequest(const QJsonObject &body);
    /// The answer @p options script for this request body, when they script one; nullopt: the
    /// usual `reply` or generated tokens.
    [[nodiscard]] static std::optional<QString> replyFor(const FakeLlmOptions &options, const QJsonObject &body);
};

} // namespace ragdesk::testing
