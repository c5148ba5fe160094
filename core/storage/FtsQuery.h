#pragma once

#include "core/storage/ConversationTypes.h"

#include <QString>

namespace ragdesk {

/// Turns what a person typed into an FTS5 MATCH expression that can never be a syntax error,
/// and FTS5's marked-up snippets into MatchedText. Pure; used by ConversationStore's search.
class FtsQuery
{
public:
    /// Each word becomes a quoted phrase (quotes doubled), all must match; the word still being
    /// typed (the last, not yet ended by a space) is a prefix, so results follow the typing.
    /// Words without a letter or digit are dropped. Empty when nothing searchable is left.
    static QString fromUserText(const QString &text);

    /// The markers FTS5's snippet() and highlight() are asked to put around matched terms:
    /// private-use characters, so no real text is mistaken for one.
    static QString openMarker() { return QString(QChar(0xE000)); }
    static QString closeMarker() { return QString(QChar(0xE001)); }
    /// @p marked without the markers, with the spans they enclosed.
    static MatchedText fromMarked(const QString &marked);

    FtsQuery() = delete;
};

} // namespace ragdesk
