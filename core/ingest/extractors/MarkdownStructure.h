#pragma once

#include "core/ingest/ExtractedDocument.h"

#include <QStringView>

namespace ragdesk {

/// Finds the structure of lightweight-markup text: Markdown (ATX and setext headings, lists,
/// fenced code) or reStructuredText (over/underlined headings, lists, literal blocks).
/// A pure, line-by-line pass: linear in the text, no I/O.
class MarkdownStructure
{
public:
    enum class Flavor { Markdown, ReStructuredText };

    static QList<TextBlock> parse(QStringView text, Flavor flavor);
};

} // namespace ragdesk
