#pragma once

#include "core/ingest/ExtractedDocument.h"

namespace ragdesk {

/// Counts the text an extractor appends chapter by chapter or page by page against
/// ExtractionLimits::maxTextChars, so an oversized file is refused as soon as it passes the cap
/// rather than after all of it is in memory.
class TextBudget
{
public:
    explicit TextBudget(qint64 maxTextChars);

    /// Counts the blocks of @p blocks added since the last call; false once the total passes the cap.
    bool admit(const QList<TextBlock> &blocks);

private:
    qint64 m_maxTextChars;
    qint64 m_textChars = 0;
    qsizetype m_countedBlocks = 0;
};

} // namespace ragdesk
