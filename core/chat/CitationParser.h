#pragma once

#include "core/storage/Citation.h"

#include <QStringView>

namespace ragdesk {

/// Whether the answer may still grow. A partial answer holds back what its next characters could
/// still change, so markers found in a prefix never change or vanish as the stream goes on.
enum class AnswerState { Partial, Final };

/// Every citation marker of an answer, in text order.
struct CitationParse {
    QList<CitationMarker> markers;
    QList<int> cited;      ///< distinct linked source numbers, in order of first appearance
    QList<int> outOfRange; ///< distinct numbers with no such source, in order of first appearance
};

/// Finds the citation markers a model wrote into its answer: "[1]", "[1, 2]", "[1-3]", "[ID:1]",
/// "[Source 2]", "[^1]", "【1】". Markdown links, checkboxes and anything in code are not markers.
/// Pure; cheap enough to run on every repaint of a streaming answer.
class CitationParser
{
public:
    /// @p sourceCount is how many numbered sources the prompt listed; numbers outside
    /// 1..sourceCount are reported in outOfRange instead of sources.
    static CitationParse parse(QStringView answer, int sourceCount, AnswerState state = AnswerState::Final);
};

} // namespace ragdesk
