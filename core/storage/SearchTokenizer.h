#pragma once

#include "core/foundation/Error.h"

#include <QSqlDatabase>
#include <QString>

namespace ragdesk {

/// The FTS5 tokenizer of index.db ("ragdesk"). It wraps SQLite's unicode61 (case and diacritic
/// folding) and adds what retrieval needs on top:
/// - Stemming in each chunk's own language (Snowball, through libstemmer). A document's stem is
///   indexed at the same position as its word, so "running" is found by "runs" and phrases still
///   match; a query's word is replaced by its stem.
/// - CJK text (Han, kana, Hangul) indexed one character per token, and queried as a phrase of
///   characters. Substring matching needs no dictionary, so a two-character Chinese query finds
///   the passage even where a word segmenter would have cut the text differently.
///
/// The language travels inside the text as a tag, "\x01en\x01" followed by the text, because
/// FTS5 hands a tokenizer nothing but the text: tokens must be a pure function of the stored
/// value, or deleting a row through its external content would remove different tokens than
/// were inserted and corrupt the index. The index's content view adds the tag (see IndexSchema)
/// and queries add it to every quoted string (see QueryAnalyzer).
class SearchTokenizer
{
public:
    static constexpr const char *name = "ragdesk";

    /// Makes the tokenizer available on @p db. Every connection that touches chunks_fts needs
    /// it, before its first statement does; IndexDatabase installs it on all of its connections.
    static Result<void> install(QSqlDatabase &db);

    /// @p text prefixed with the tag for @p language ("en", "de", ... or empty: fold only).
    static QString tagged(const QString &language, const QString &text);
    /// @p text with a leading language tag removed, e.g. for what snippet() returns.
    static QString untagged(const QString &text);
    /// Han, kana, Hangul and their compatibility blocks: scripts written without spaces between
    /// words, which the index splits into single characters.
    static bool isCjk(char32_t c);
};

} // namespace ragdesk
