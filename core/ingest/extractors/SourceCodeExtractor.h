#pragma once

#include "core/ingest/ExtractedDocument.h"

#include <QByteArray>

namespace ragdesk {

/// A source file as Code blocks, split at blank lines and at least every MaxLinesPerBlock
/// lines, with its language named by KSyntaxHighlighting.
class SourceCodeExtractor
{
public:
    static constexpr int MaxLinesPerBlock = 100;

    static ExtractedDocument extract(const QByteArray &bytes, const QString &path);

    /// KSyntaxHighlighting's definition name for @p path ("C++", "Python"), or empty.
    static QString languageForPath(const QString &path);
};

} // namespace ragdesk
